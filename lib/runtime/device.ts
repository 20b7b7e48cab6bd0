/**
 * Execution devices bioprobe can run onnxruntime on, and the one check of a device name that every
 * command and stage uses (extract, probe, experiment files, doctor).
 */
import { BioprobeError } from '../util/errors.js';

export type Device = 'cpu' | 'cuda';

export const DEVICES: readonly Device[] = ['cpu', 'cuda'];

/** `value` as a Device; throws a `bad-device` error naming the accepted values otherwise. */
export function parseDevice(value: unknown): Device {
  if (value === 'cpu' || value === 'cuda') return value;
  throw new BioprobeError('runtime', 'bad-device', `unknown device "${String(value)}"`, { hint: 'use cpu or cuda' });
}

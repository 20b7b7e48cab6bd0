/** Parsing of the probe's option values (layer ranges, positive integers), with usage errors. */
import { UsageError } from '../util/errors.js';

/** "0-12", "3", "0,4,8-12" -> sorted unique layer ids. */
export function parseLayers(spec: string): number[] {
  const out = new Set<number>();
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new UsageError(`bad layer list "${spec}"`, { hint: 'e.g. --layers 0-12 or --layers 0,6,12' });
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new UsageError(`bad layer range "${part}" (end before start)`);
    for (let l = a; l <= b; l++) out.add(l);
  }
  if (out.size === 0) throw new UsageError('no layers given', { hint: 'e.g. --layers 0-12' });
  return [...out].sort((x, y) => x - y);
}

/** A non-negative integer option (or positive with `min` 1). */
export function parseInteger(name: string, value: string, min = 0): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got "${value}"`);
  return n;
}

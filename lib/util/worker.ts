/**
 * Worker threads, the one way bioprobe starts them (extraction's model thread, the probe's stack
 * threads), and the one wire format for errors crossing a thread boundary: a BioprobeError keeps its
 * kind, code, file and hint, so the main thread reports it exactly as if it had happened there.
 */
import { Worker } from 'node:worker_threads';
import { BioprobeError, type ErrorKind } from './errors.js';

/**
 * Start the worker module `name` (without extension) that sits beside the calling module `callerUrl`
 * (its `import.meta.url`): the compiled `.js`, or, when running from the TypeScript sources, a small
 * bootstrap that registers tsx in the new thread first (loader hooks are per thread, and `--import tsx`
 * in a worker's execArgv is not enough on Node 20).
 */
export function startWorker(callerUrl: string, name: string, workerData: unknown): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), { workerData });
  const api = import.meta.resolve('tsx/esm/api');
  const target = new URL(`./${name}.ts`, callerUrl).href;
  const boot = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(target)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

/** An error as it crosses a thread boundary (structured-clone safe). */
export interface WireError {
  name: string;
  message: string;
  kind?: ErrorKind;
  code?: string;
  file?: string;
  hint?: string;
  stack?: string;
}

/** Any thrown value as a WireError. */
export function toWire(err: unknown): WireError {
  if (err instanceof BioprobeError)
    return { name: err.name, message: err.message, kind: err.kind, code: err.code, file: err.file, hint: err.hint, stack: err.stack };
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: 'Error', message: String(err) };
}

/** The error a WireError stands for, rebuilt in this thread (stack kept). */
export function fromWire(w: WireError): Error {
  const err = w.kind && w.code ? new BioprobeError(w.kind, w.code, w.message, { file: w.file, hint: w.hint }) : new Error(w.message);
  if (w.stack) err.stack = w.stack;
  return err;
}

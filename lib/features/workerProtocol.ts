/**
 * Errors crossing the worker boundary: a BioprobeError keeps its kind, code, file and hint, so the main
 * thread reports a clip's failure (or an unusable model) exactly as if it had happened there.
 */
import { BioprobeError, type ErrorKind } from '../util/errors.js';

export interface WireError {
  kind?: ErrorKind;
  code?: string;
  message: string;
  file?: string;
  hint?: string;
}

export function serialiseError(err: unknown): WireError {
  if (err instanceof BioprobeError) return { kind: err.kind, code: err.code, message: err.message, file: err.file, hint: err.hint };
  return { message: err instanceof Error ? err.message : String(err) };
}

export function deserialiseError(w: WireError): Error {
  if (w.kind && w.code) return new BioprobeError(w.kind, w.code, w.message, { file: w.file, hint: w.hint });
  return new Error(w.message);
}

/**
 * The one error type users see. Every error a user can cause (bad file, bad argument, missing model)
 * is a BioprobeError with a stable `code`, the `file` it concerns when there is one, and a `hint`
 * that says what to do. `oneLine()` is what the CLI prints and what clips.csv records.
 */
export type ErrorKind =
  | 'audio'
  | 'dataset'
  | 'model'
  | 'checkpoint'
  | 'runtime'
  | 'features'
  | 'probe'
  | 'results'
  | 'report'
  | 'experiment'
  | 'usage'
  | 'io';

export class BioprobeError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly file?: string;
  readonly hint?: string;

  constructor(kind: ErrorKind, code: string, message: string, opts: { file?: string; hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'BioprobeError';
    this.kind = kind;
    this.code = code;
    this.file = opts.file;
    this.hint = opts.hint;
  }

  /** `file: message (hint)` on one line, newlines flattened: for stderr and status columns. */
  oneLine(): string {
    const parts = [this.file ? `${this.file}: ${this.message}` : this.message];
    if (this.hint) parts.push(`(${this.hint})`);
    return parts.join(' ').replace(/\s*\n\s*/g, ' ');
  }
}

/** Errors in decoding or preparing audio: the clip is skipped, the run continues. */
export class AudioError extends BioprobeError {
  constructor(code: string, message: string, opts: { file?: string; hint?: string; cause?: unknown } = {}) {
    super('audio', code, message, opts);
    this.name = 'AudioError';
  }
}

/** Errors in a dataset spec, CSV or layout. */
export class DatasetError extends BioprobeError {
  constructor(code: string, message: string, opts: { file?: string; hint?: string; cause?: unknown } = {}) {
    super('dataset', code, message, opts);
    this.name = 'DatasetError';
  }
}

/** Errors in a model file, its graph, the zoo, or the runtime. */
export class ModelError extends BioprobeError {
  constructor(code: string, message: string, opts: { file?: string; hint?: string; cause?: unknown } = {}) {
    super('model', code, message, opts);
    this.name = 'ModelError';
  }
}

/**
 * Errors in a PyTorch/safetensors checkpoint or its config: a corrupt or truncated file, a pickle that
 * holds code or classes a state dict never holds, an architecture or tensor set bioprobe cannot build.
 */
export class CheckpointError extends BioprobeError {
  constructor(code: string, message: string, opts: { file?: string; hint?: string; cause?: unknown } = {}) {
    super('checkpoint', code, message, opts);
    this.name = 'CheckpointError';
  }
}

/** Bad command-line arguments or options. */
export class UsageError extends BioprobeError {
  constructor(message: string, opts: { hint?: string } = {}) {
    super('usage', 'usage', message, opts);
    this.name = 'UsageError';
  }
}

/** An error of `kind`, as its own class where it has one (a dataset CSV's error is a DatasetError whoever reads it). */
export function makeError(
  kind: ErrorKind,
  code: string,
  message: string,
  opts: { file?: string; hint?: string; cause?: unknown } = {},
): BioprobeError {
  switch (kind) {
    case 'audio':
      return new AudioError(code, message, opts);
    case 'dataset':
      return new DatasetError(code, message, opts);
    case 'model':
      return new ModelError(code, message, opts);
    case 'checkpoint':
      return new CheckpointError(code, message, opts);
    default:
      return new BioprobeError(kind, code, message, opts);
  }
}

/** A short, single-line description of any thrown value, for logs and status columns. */
export function describeError(err: unknown): string {
  if (err instanceof BioprobeError) return err.oneLine();
  if (err instanceof Error) return err.message.replace(/\s*\n\s*/g, ' ');
  return String(err);
}

/**
 * The one door to onnxruntime sessions: models (inference), probe (training graphs) and doctor open
 * their sessions here. Threads, device and optimisation level come in as options (no global state);
 * a missing CUDA provider and an unloadable graph become one-line BioprobeErrors.
 */
import * as ort from 'onnxruntime-node';
import { BioprobeError } from '../util/errors.js';
import { checkCudaAvailable, CUDA_INSTALL_HINT } from './cuda.js';
import { parseDevice, type Device } from './device.js';

export type GraphOptimization = 'disabled' | 'basic' | 'extended' | 'all';

export interface SessionOptions {
  /** Intra-op threads (default: onnxruntime's choice, one per physical core). */
  threads?: number;
  /** Execution provider (default 'cpu'); 'cuda' falls back to the CPU for ops CUDA lacks. */
  device?: Device;
  /** Graph optimisation level (default 'all'). */
  graphOptimization?: GraphOptimization;
  /**
   * Whether idle intra-op threads spin between ops (default true, onnxruntime's default: lowest latency
   * for one session). Turn off where one process holds several multi-threaded sessions and runs them in
   * turn: their idle threads would spin against the running one's (measured: of three built HuBERT-base
   * sessions at 2 threads taking turns, one took 20.5 s with spinning and 18.2 s without, same passes).
   */
  spinning?: boolean;
}

/** onnxruntime's first message line without terminal colours. */
function firstLine(err: unknown): string {
  return (
    String((err as Error)?.message ?? err)
      .split('\n')[0]
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes (ESC [ ... m) from onnxruntime's messages
      .replace(/\u001b\[[0-9;]*m/g, '')
  );
}

/** `threads` checked: a positive integer, or undefined for onnxruntime's default. */
function checkThreads(threads: number | undefined): void {
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
    throw new BioprobeError('runtime', 'bad-threads', `threads must be a positive integer, got ${threads}`);
  }
}

/**
 * Open a session on an ONNX file (a path) or a serialised graph (bytes). `file` names the graph in
 * errors when it was given as bytes.
 */
export async function createSession(model: string | Uint8Array, opts: SessionOptions = {}, file?: string): Promise<ort.InferenceSession> {
  const device = parseDevice(opts.device ?? 'cpu');
  checkThreads(opts.threads);
  if (device === 'cuda') checkCudaAvailable();
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: device === 'cuda' ? ['cuda', 'cpu'] : ['cpu'],
    graphOptimizationLevel: opts.graphOptimization ?? 'all',
    interOpNumThreads: 1,
    logSeverityLevel: 3,
  };
  if (opts.threads !== undefined) options.intraOpNumThreads = opts.threads;
  if (opts.spinning === false) options.extra = { session: { intra_op: { allow_spinning: '0' } } };
  const name = typeof model === 'string' ? model : file;
  try {
    return typeof model === 'string'
      ? await ort.InferenceSession.create(model, options)
      : await ort.InferenceSession.create(model, options);
  } catch (err) {
    if (device === 'cuda') {
      throw new BioprobeError('runtime', 'cuda-unavailable', `onnxruntime could not start the CUDA provider: ${firstLine(err)}`, {
        file: name,
        hint: CUDA_INSTALL_HINT,
        cause: err,
      });
    }
    throw new BioprobeError('runtime', 'session-failed', `onnxruntime could not load the graph: ${firstLine(err)}`, {
      file: name,
      cause: err,
    });
  }
}

/**
 * Run a tiny graph on `device` and say whether it worked (doctor's real provider check): ok only when
 * the session starts, runs, and `check` finds nothing wrong with the outputs.
 */
export async function tryDevice(
  model: Uint8Array,
  feeds: Record<string, ort.Tensor>,
  device: Device,
  check: (out: ort.InferenceSession.OnnxValueMapType) => string | undefined = () => undefined,
): Promise<{ ok: boolean; error?: string }> {
  try {
    const session = await ort.InferenceSession.create(model, { executionProviders: [device], logSeverityLevel: 4 });
    try {
      const wrong = check(await session.run(feeds));
      return wrong ? { ok: false, error: wrong } : { ok: true };
    } finally {
      await session.release();
    }
  } catch (err) {
    return { ok: false, error: firstLine(err).slice(0, 300) };
  }
}

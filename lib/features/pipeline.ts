/**
 * The extraction loop: prepared clips in, pooled rows out to the store, with inference overlapped.
 *
 * The model is a ClipModel: normally a worker thread (threadedModel.ts), because onnxruntime-node's
 * `session.run` blocks the thread that calls it. While the worker runs forward passes, this thread
 * prepares the next clips (a bounded prefetch queue) and writes finished rows; two clips are handed to
 * the model ahead so it never waits. Each clip's chunks go through the model one at a time (one clip
 * per forward pass: exact per-clip semantics), and their frames are pooled as if concatenated
 * (SPEC.md step 6). Rows are written in source order.
 */
import type { Item } from '../datasets/types.js';
import { BioprobeError, describeError } from '../util/errors.js';
import type { ClipRecord } from './journal.js';
import { LayerPool } from './pooling.js';

/** What was read of a clip, for clips.csv. */
interface AudioInfo {
  duration_s: number;
  sample_rate: number;
  channels: number;
  /** Notes on the clip's preparation (tiled, truncated, ...), `;`-separated. */
  flags?: string;
}

/** A clip ready for the model (16 kHz, normalised, tiled, cut in chunks), or the reason it cannot be used. */
export type ClipInput = { item: Item; chunks: Float32Array[]; info: AudioInfo } | { item: Item; error: unknown; info?: Partial<AudioInfo> };

/** One layer's output for one forward pass: `frames` x width values, row-major. */
interface LayerFrames {
  data: Float32Array;
  frames: number;
}

/** How equal-length batching went in a run (batching.ts): recorded in the manifest's run.batching. */
export interface BatchingReport {
  /** Largest batch allowed (1: one clip per forward pass). */
  max: number;
  /** 'on' once the check passed (bit-identical); 'off' when it failed or the graph takes no batch; 'untested' when no two clips of one length met. */
  state: 'untested' | 'on' | 'off';
  /** The check on the first batch, run clip by clip and batched. */
  check?: { clips: number; samples: number; maxRelDiff: number; bitIdentical: boolean; error?: string };
  /** Forward passes over more than one clip, and the clips they held (the checked batch included). */
  batches: number;
  batchedClips: number;
}

/** The model as the pipeline sees it: every layer of one forward pass over mono 16 kHz samples. */
export interface Forward {
  layers: number;
  width: number;
  run(samples: Float32Array): Promise<LayerFrames[]>;
}

/** A clip's pooled rows: `rows[l]` = [mean (D), std (D)] of layer l over `frames` frames. */
export interface PooledClip {
  rows: Float32Array[];
  frames: number;
}

/** Something that turns a clip's chunks into pooled rows (in this thread, or in a worker: threadedModel.ts). */
export interface ClipModel {
  layers: number;
  width: number;
  embedClip(chunks: Float32Array[]): Promise<PooledClip>;
  /** How equal-length clips were batched (batching.ts), when the model batches. */
  batching?(): BatchingReport | undefined;
  close(): Promise<void>;
}

/** Where rows go (FeatureStore implements it). */
interface RowSink {
  writeClip(index: number, rows: readonly Float32Array[] | null, rec: ClipRecord): void;
}

interface PipelineOptions {
  /** Clips prepared ahead of the model (default 4). */
  prefetch?: number;
  /** Clips handed to the model before the first result is back (default 2: the model never waits). */
  inflight?: number;
  /** Beyond 2 clips, hand more only while the clips in flight hold fewer samples than this (default: no limit). */
  inflightSamples?: number;
  /** Called after each clip is stored. */
  onClip?: (rec: ClipRecord, audioSeconds: number) => void;
  /** Stop after the clip being stored when aborted (clips still in flight are dropped, not stored). */
  signal?: AbortSignal;
}

/** Failures of the model process itself (not of one clip): they stop the run instead of skipping clips. */
const FATAL_CODES = new Set(['worker-failed', 'worker-exit']);

function isFatal(err: unknown): boolean {
  return err instanceof BioprobeError && FATAL_CODES.has(err.code);
}

/** `code: message` for clips.csv (the file is in the row already). */
function skipReason(err: unknown): string {
  if (err instanceof BioprobeError) return `${err.code}: ${err.message}`.replace(/\s*\n\s*/g, ' ');
  return `error: ${describeError(err)}`;
}

/**
 * Run every chunk of one clip through the model, one forward pass each, and pool each layer over the
 * frames of all chunks. A non-finite pooled value (NaN/Inf in the model's output) is an error.
 */
export async function poolClip(forward: Forward, chunks: readonly Float32Array[]): Promise<PooledClip> {
  const pools = Array.from({ length: forward.layers }, () => new LayerPool(forward.width));
  for (const chunk of chunks) {
    const out = await forward.run(chunk);
    if (out.length !== forward.layers)
      throw new BioprobeError('model', 'model-layers', `the model returned ${out.length} layers, expected ${forward.layers}`);
    out.forEach((o, l) => pools[l].add(o.data, o.frames));
  }
  const frames = pools[0].frames;
  const rows = pools.map((p, l) => {
    if (p.frames !== frames) throw new BioprobeError('model', 'model-frames', `layer ${l} has ${p.frames} frames, layer 0 ${frames}`);
    return p.result();
  });
  rows.forEach((row, l) => {
    if (!row.every(Number.isFinite))
      throw new BioprobeError('model', 'model-nonfinite', `the model produced non-finite values (NaN/Inf) in layer ${l}`);
  });
  return { rows, frames };
}

/** A ClipModel running `forward` in this thread. */
export function inThread(forward: Forward, close: () => Promise<void> = async () => {}): ClipModel {
  return { layers: forward.layers, width: forward.width, embedClip: (chunks) => poolClip(forward, chunks), close };
}

/**
 * A bounded queue filled ahead of the consumer from an (async) iterable. The pump yields to the event
 * loop before each item, so a finished forward pass is picked up within one item's preparation time.
 * An exception from the source itself (not a clip's error) is rethrown to the consumer.
 */
export function prefetcher<T>(source: AsyncIterable<T> | Iterable<T>, depth: number): () => Promise<T | undefined> {
  const it: AsyncIterator<T> | Iterator<T> =
    Symbol.asyncIterator in source ? (source as AsyncIterable<T>)[Symbol.asyncIterator]() : (source as Iterable<T>)[Symbol.iterator]();
  const buf: T[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let pumping = false;
  let wake: (() => void) | undefined;
  const signal = () => {
    wake?.();
    wake = undefined;
  };
  const pump = async () => {
    if (pumping) return;
    pumping = true;
    try {
      while (!ended && buf.length < depth) {
        await new Promise<void>((r) => setImmediate(r));
        const r = await it.next();
        if (r.done) ended = true;
        else buf.push(r.value);
        signal();
      }
    } catch (error) {
      failure = { error };
      ended = true;
      signal();
    } finally {
      pumping = false;
    }
  };
  return async () => {
    for (;;) {
      if (buf.length > 0) {
        const v = buf.shift() as T;
        void pump();
        return v;
      }
      if (failure) throw failure.error;
      if (ended) return undefined;
      const woken = new Promise<void>((r) => {
        wake = r;
      });
      void pump();
      await woken;
    }
  };
}

type Outcome = { item: Item; info?: Partial<AudioInfo>; seconds: number; chunks: number; pooled?: PooledClip; error?: unknown };

const samplesOf = (c: ClipInput) => ('chunks' in c ? c.chunks.reduce((a, x) => a + x.length, 0) : 0);

/** Hand one clip to the model; a clip's failure becomes its outcome, only a fatal one rejects. */
async function embed(model: ClipModel, c: ClipInput): Promise<Outcome> {
  if ('error' in c) return { item: c.item, info: c.info, seconds: 0, chunks: 0, error: c.error };
  const seconds = c.chunks.reduce((a, x) => a + x.length, 0) / 16000;
  try {
    return { item: c.item, info: c.info, seconds, chunks: c.chunks.length, pooled: await model.embedClip(c.chunks) };
  } catch (error) {
    if (isFatal(error)) throw error;
    return { item: c.item, info: c.info, seconds: 0, chunks: c.chunks.length, error };
  }
}

/**
 * Feed `clips` through `model` and write each clip's pooled rows to `sink`, in source order, with up to
 * `inflight` clips handed to the model ahead of the one being written. Returns when the source is exhausted.
 */
export async function runPipeline(
  clips: AsyncIterable<ClipInput> | Iterable<ClipInput>,
  model: ClipModel,
  sink: RowSink,
  opts: PipelineOptions = {},
): Promise<void> {
  const next = prefetcher(clips, Math.max(1, opts.prefetch ?? 4));
  const window: Promise<Outcome>[] = [];
  const sizes: number[] = [];
  const depth = Math.max(1, opts.inflight ?? 2);
  const maxSamples = opts.inflightSamples ?? Infinity;
  let ended = false;
  const room = () => window.length < Math.min(depth, 2) || (window.length < depth && sizes.reduce((a, b) => a + b, 0) < maxSamples);
  const refill = async () => {
    while (!ended && room()) {
      const c = await next();
      if (!c) ended = true;
      else {
        const p = embed(model, c);
        p.catch(() => {}); // a fatal failure is rethrown where the window is awaited, not reported as unhandled
        window.push(p);
        sizes.push(samplesOf(c));
      }
    }
  };
  await refill();
  while (window.length > 0) {
    const o = await (window.shift() as Promise<Outcome>);
    sizes.shift();
    if (opts.signal?.aborted) ended = true;
    const refilled = refill();
    const info = o.info ?? {};
    if (o.pooled) {
      const rec: ClipRecord = { i: o.item.index, status: 'ok', ...info, frames: o.pooled.frames, chunks: o.chunks };
      sink.writeClip(o.item.index, o.pooled.rows, rec);
      opts.onClip?.(rec, o.seconds);
    } else {
      const rec: ClipRecord = { i: o.item.index, status: skipReason(o.error), ...info };
      sink.writeClip(o.item.index, null, rec);
      opts.onClip?.(rec, 0);
    }
    await refilled;
    if (opts.signal?.aborted) return;
  }
}

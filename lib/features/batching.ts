/**
 * Equal-length batching: clips whose single chunk has the same length (after tiling, most IMV segments
 * are exactly 5000 samples) go through the model together, one forward pass for up to `max` of them.
 * Only clips of one length are ever batched (never padded or tiled to a neighbour's length), and only
 * after a check on the first such batch: it is run both ways, clip by clip and as one batch, and batching
 * stays on only when every pooled row of the batch is bit-identical to the clip-by-clip row (the rows
 * written for that batch are the clip-by-clip ones). Bit identity, not just closeness (1e-6): which clips
 * share a forward pass depends on timing, and a store must not (resumed, sharded and uninterrupted runs
 * write the same bytes). Graphs built from checkpoints and torchaudio exports are bit-identical; an
 * HF-style export that differs by ~1e-7 runs clip by clip. What happened is reported for the manifest.
 * Lives in the model worker (modelThread.ts).
 */
import type { LayerModel, LayerStates } from '../models/layerModel.js';
import { describeError } from '../util/errors.js';
import { forwardOf } from './model.js';
import { poolClip, type BatchingReport, type PooledClip } from './pipeline.js';

export type { BatchingReport };

/** The brief's bound on what batching may change (per row: max|a - b| / max|b|); bit identity is required on top. */
export const BATCH_TOLERANCE = 1e-6;

function relDiff(a: Float32Array, b: Float32Array): { rel: number; exact: boolean } {
  let num = 0;
  let den = 0;
  let exact = true;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d !== 0) exact = false;
    num = Math.max(num, d);
    den = Math.max(den, Math.abs(b[i]));
  }
  return { rel: den > 0 ? num / den : num, exact };
}

/** Pool one clip's states (already computed in a batch) exactly as poolClip pools a forward pass. */
function poolStates(model: LayerModel, chunk: Float32Array, states: LayerStates): Promise<PooledClip> {
  return poolClip(
    { layers: model.layers, width: model.dim, run: async () => states.layers.map((data) => ({ data, frames: states.frames })) },
    [chunk],
  );
}

export class Batcher {
  readonly report: BatchingReport;

  constructor(
    private readonly model: LayerModel,
    max: number,
  ) {
    this.report = { max, state: max > 1 ? 'untested' : 'off', batches: 0, batchedClips: 0 };
  }

  /** Whether a request of these chunks may join a batch of clips of `length` samples. */
  accepts(chunks: readonly Float32Array[], length: number): boolean {
    return this.report.state !== 'off' && chunks.length === 1 && chunks[0].length === length;
  }

  /** Pooled rows of each clip (one chunk each, one length), or the error of a clip that failed. */
  async run(clips: Float32Array[][]): Promise<(PooledClip | { error: unknown })[]> {
    const single = () => Promise.all(clips.map((chunks) => poolClip(forwardOf(this.model), chunks).catch((error: unknown) => ({ error }))));
    if (clips.length === 1 || this.report.state === 'off') return single();
    let batched: PooledClip[];
    try {
      const states = await this.model.embedBatch(clips.map((c) => c[0]));
      batched = await Promise.all(states.map((s, k) => poolStates(this.model, clips[k][0], s)));
    } catch (err) {
      // a graph without a batch axis, or a batch it cannot take: clip by clip from now on
      this.report.state = 'off';
      this.report.check ??= {
        clips: clips.length,
        samples: clips[0][0].length,
        maxRelDiff: NaN,
        bitIdentical: false,
        error: describeError(err),
      };
      return single();
    }
    this.report.batches++;
    this.report.batchedClips += clips.length;
    if (this.report.state === 'on') return batched;
    const reference = await single();
    let maxRelDiff = 0;
    let bitIdentical = true;
    reference.forEach((r, k) => {
      if ('error' in r) return;
      r.rows.forEach((row, l) => {
        const d = relDiff(batched[k].rows[l], row);
        maxRelDiff = Math.max(maxRelDiff, d.rel);
        bitIdentical &&= d.exact;
      });
    });
    this.report.check = { clips: clips.length, samples: clips[0][0].length, maxRelDiff, bitIdentical };
    this.report.state = bitIdentical && maxRelDiff <= BATCH_TOLERANCE ? 'on' : 'off';
    return reference;
  }
}

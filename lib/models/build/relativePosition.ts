/**
 * WavLM's gated relative position bias, as transformers' modeling_wavlm.py computes it:
 *  - layer 0 owns an embedding of `numBuckets` buckets x heads; the bias of query i and key j is the row
 *    of bucket(j - i), T5-style: half the buckets per sign, exact distances below maxExact, then
 *    logarithmic up to maxDistance, capped;
 *  - every layer gates that (ungated) bias per head and query frame: the layer's attention input, split
 *    into heads, goes through a Linear(headDim -> 8), sums of 4 -> two sigmoids a, b, and the gate is
 *    a * (b * const_h - 1) + 2.
 * The buckets are integers computed once here, in float32 exactly as torch does (log of a float32
 * ratio, scaled in float32, truncated); the graph only gathers embedding rows by clamped distance, so
 * its bias is the embedding's values bit for bit at any length.
 */
import type { Wav2Vec2Arch } from '../../checkpoint/arch.js';
import { CheckpointError } from '../../util/errors.js';
import type { Emitter } from './emit.js';

const f32 = Math.fround;

/** transformers' `_relative_positions_bucket` for one relative position (memory - context). */
export function relativeBucket(rel: number, numBuckets: number, maxDistance: number): number {
  const half = Math.floor(numBuckets / 2);
  let bucket = rel > 0 ? half : 0;
  const n = Math.abs(rel);
  const maxExact = Math.floor(half / 2);
  if (n < maxExact) return bucket + n;
  // torch: log(n.float() / maxExact) / log(maxDistance / maxExact) * (half - maxExact), all float32
  // tensor ops (the python-float divisor rounded to float32), then max_exact + that, truncated to long
  let v = f32(Math.log(f32(f32(n) / maxExact)));
  v = f32(v / f32(Math.log(maxDistance / maxExact)));
  v = f32(v * (half - maxExact));
  const large = Math.trunc(f32(maxExact + v));
  bucket += Math.min(large, half - 1);
  return bucket;
}

/** The smallest distance from which every larger |rel| falls in the last bucket of its sign. */
export function saturationDistance(numBuckets: number, maxDistance: number, file?: string): number {
  const half = Math.floor(numBuckets / 2);
  const maxExact = Math.floor(half / 2);
  if (maxExact < 1 || maxDistance <= maxExact) {
    throw new CheckpointError(
      'config-unsupported',
      `relative position buckets ${numBuckets} with max distance ${maxDistance} are degenerate (need num_buckets >= 4 and max_bucket_distance > num_buckets / 4)`,
      { file },
    );
  }
  // buckets never decrease with |rel|; find where both signs reach their last bucket
  for (let d = maxExact; d <= 1_000_000; d++) {
    if (relativeBucket(d, numBuckets, maxDistance) === 2 * half - 1 && relativeBucket(-d, numBuckets, maxDistance) === half - 1) return d;
  }
  throw new CheckpointError(
    'config-unsupported',
    `relative position buckets do not saturate within 1e6 frames (max_bucket_distance ${maxDistance})`,
    { file },
  );
}

/**
 * The embedding rows for every relative position in [-K, K] (K = saturation distance), [2K+1, heads]:
 * row K + rel is the bias of relative position rel; larger distances clamp to the ends.
 */
export function biasTable(arch: Wav2Vec2Arch, embedding: Float32Array): { table: Float32Array; reach: number } {
  const { numBuckets, maxDistance } = arch.relativePositionBias!;
  const H = arch.numHeads;
  const K = saturationDistance(numBuckets, maxDistance);
  const table = new Float32Array((2 * K + 1) * H);
  for (let rel = -K; rel <= K; rel++) {
    const b = relativeBucket(rel, numBuckets, maxDistance);
    table.set(embedding.subarray(b * H, b * H + H), (rel + K) * H);
  }
  return { table, reach: K };
}

/** The ungated position bias [1, heads, T, T] for the frames of `x` ([B, T, D]). */
export function positionBias(e: Emitter, x: string): string {
  const g = e.g;
  const a = e.w.arch;
  const { table, reach } = biasTable(a, e.w.float32('encoder.layers.0.attention.rel_attn_embed.weight'));
  const tableName = g.initializer('encoder.rel_attn_bias_by_distance', table, [2 * reach + 1, a.numHeads]);
  const T = g.op('Gather', [g.op('Shape', [x]), g.constI(1)], { axis: { i: 0 } }, 'frames');
  const pos = g.op('Range', [g.constI(0), T, g.constI(1)]);
  const rel = g.op('Sub', [g.op('Unsqueeze', [pos, g.constI([0], [1])]), g.op('Unsqueeze', [pos, g.constI([1], [1])])]); // [T, T]: j - i
  const clamped = g.op('Min', [g.op('Max', [rel, g.constI(-reach)]), g.constI(reach)]);
  const rows = g.op('Gather', [tableName, g.op('Add', [clamped, g.constI(reach)])], { axis: { i: 0 } }); // [T, T, H]
  return g.op('Unsqueeze', [g.op('Transpose', [rows], { perm: { ints: [2, 0, 1] } }), g.constI([0], [1])], {}, 'position_bias');
}

/** The bias gated for one layer: [B, heads, T, T] from the layer's attention input `x` [B, T, D]. */
export function gatedBias(e: Emitter, x: string, bias: string, layer: number): string {
  const g = e.g;
  const a = e.w.arch;
  const H = a.numHeads;
  const pre = `encoder.layers.${layer}.attention`;
  const heads = g.op('Reshape', [x, g.constI([0, 0, H, a.hiddenSize / H], [4])]); // [B, T, H, hd]
  const proj = e.linear(heads, `${pre}.gru_rel_pos_linear`); // [B, T, H, 8]
  const sums = g.op('ReduceSum', [g.op('Reshape', [proj, g.constI([0, 0, H, 2, 4], [5])]), g.constI([-1], [1])], { keepdims: { i: 0 } }); // [B, T, H, 2]
  const [ga, gb] = g.opN('Split', [g.op('Sigmoid', [sums]), g.constI([1, 1], [2])], 2, { axis: { i: -1 } }); // [B, T, H, 1] each
  const c = g.op('Reshape', [e.weight(`${pre}.gru_rel_pos_const`), g.constI([H, 1], [2])]); // [H, 1]
  const gate = g.op('Add', [g.op('Mul', [ga, g.op('Sub', [g.op('Mul', [gb, c]), g.constF(1)])]), g.constF(2)]); // [B, T, H, 1]
  const perHead = g.op('Transpose', [gate], { perm: { ints: [0, 2, 1, 3] } }); // [B, H, T, 1]
  return g.op('Mul', [perHead, bias], {}, `gated_bias_${layer}`);
}

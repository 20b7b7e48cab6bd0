/**
 * Weight normalisation folded into a plain weight: w = g * v / ||v||, the norm taken over every axis
 * except `dim` (torch.nn.utils.weight_norm and parametrizations.weight_norm; both compute exactly this).
 * transformers, fairseq and torchaudio all weight-norm the positional conv with dim=2 (the kernel axis):
 * g is [1, 1, K] for v [D, D/groups, K]. The axis is read from g's shape (the one axis where g is not 1).
 */
import { CheckpointError } from '../util/errors.js';
import { numelOf } from './tensors.js';

/** The axis g keeps (-1: a single scalar gain, the norm over the whole tensor). */
export function weightNormDim(gShape: readonly number[], vShape: readonly number[], file?: string): number {
  if (gShape.length !== vShape.length && numelOf(gShape) !== 1) {
    throw new CheckpointError('weight-norm', `weight-norm gain [${gShape}] and direction [${vShape}] differ in rank`, { file });
  }
  const kept = gShape.map((s, i) => (s !== 1 ? i : -1)).filter((i) => i >= 0);
  if (kept.length > 1 || (kept.length === 1 && gShape[kept[0]] !== vShape[kept[0]])) {
    throw new CheckpointError('weight-norm', `weight-norm gain [${gShape}] does not fit direction [${vShape}]`, { file });
  }
  // No axis kept: g is one scalar (or the kept axis has size 1): the norm is over the whole tensor either way.
  return kept.length === 1 ? kept[0] : -1;
}

/** Fold (g, v) into w, in float64 accumulation, for weight-norm axis `dim` (-1: whole tensor). */
export function foldWeightNorm(g: Float32Array, v: Float32Array, vShape: readonly number[], dim: number): Float32Array {
  const n = numelOf(vShape);
  const out = new Float32Array(n);
  if (dim < 0) {
    let ss = 0;
    for (let i = 0; i < n; i++) ss += v[i] * v[i];
    const scale = g[0] / Math.sqrt(ss);
    for (let i = 0; i < n; i++) out[i] = v[i] * scale;
    return out;
  }
  const size = vShape[dim];
  const inner = numelOf(vShape.slice(dim + 1));
  const sums = new Float64Array(size);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(i / inner) % size;
    sums[k] += v[i] * v[i];
  }
  const scale = new Float64Array(size);
  for (let k = 0; k < size; k++) scale[k] = g[k] / Math.sqrt(sums[k]);
  for (let i = 0; i < n; i++) out[i] = v[i] * scale[Math.floor(i / inner) % size];
  return out;
}

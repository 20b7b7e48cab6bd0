/**
 * A checkpoint's tensors under canonical names (names.ts), checked against its architecture: every
 * expected tensor present with its shape, nothing unrecognised, the positional conv's weight norm folded.
 * Also the exact parameter counts `models inspect` reports.
 */
import { CheckpointError } from '../util/errors.js';
import type { Wav2Vec2Arch } from './arch.js';
import { isFloatDType } from './dtype.js';
import { basePrefix, mapKey, type NamingScheme } from './keymap.js';
import { canonicalShapes, MASK_EMBEDDING, POS_CONV_G, POS_CONV_V, POS_CONV_WEIGHT } from './names.js';
import { numelOf, type TensorSource } from './tensors.js';
import { foldWeightNorm, weightNormDim } from './weightNorm.js';

export interface ParameterCounts {
  /** Every tensor of the state dict (heads, pre-training tensors and the mask embedding included). */
  total: number;
  /** The tensors the encoder computes hidden states with, as stored (weight-norm g and v counted as two). */
  encoder: number;
  /** The mask embedding (used only in training). */
  mask: number;
  /** Heads and pre-training tensors (CTC/classifier heads, quantizer, final_proj, label embeddings...). */
  extras: number;
}

export interface CanonicalWeights {
  arch: Wav2Vec2Arch;
  /** Canonical name -> shape, in build order (conv stack, projection, positional conv, encoder LN, layers). */
  shapes: Map<string, number[]>;
  /** Canonical name -> the source tensor name(s) it is made from. */
  sources: Map<string, string[]>;
  /** How the positional conv weight was stored. */
  posConv: { stored: 'weight_g/weight_v' | 'parametrizations' | 'plain'; dim?: number };
  /** Source name of the mask embedding, when the checkpoint has one. */
  maskEmbedding?: string;
  /** Source names of heads and pre-training tensors, ignored by the encoder. */
  extras: string[];
  parameters: ParameterCounts;
  /** The canonical tensor's values as float32 (the positional conv weight folded from g and v). */
  float32(name: string): Float32Array;
}

function listSome(names: string[], n = 8): string {
  return names.length <= n ? names.join(', ') : `${names.slice(0, n).join(', ')} and ${names.length - n} more`;
}

/** Map a checkpoint's tensors onto canonical names; throws a CheckpointError listing every problem. */
export function toCanonical(source: TensorSource, arch: Wav2Vec2Arch, scheme: NamingScheme, file: string): CanonicalWeights {
  const expected = canonicalShapes(arch);
  const names = source.names();
  const prefix = basePrefix(scheme, names);
  const byCanonical = new Map<string, string[]>();
  const unknown: string[] = [];
  const extras: string[] = [];
  let maskEmbedding: string | undefined;
  const counts: ParameterCounts = { total: 0, encoder: 0, mask: 0, extras: 0 };
  for (const name of names) {
    const numel = numelOf(source.info(name).shape);
    counts.total += numel;
    const role = mapKey(scheme, prefix, name);
    if (role.role === 'extra' || (scheme === 'fairseq' && /(^|\.)version$/.test(name))) {
      extras.push(name);
      counts.extras += numel;
    } else if (role.role === 'mask') {
      maskEmbedding = name;
      counts.mask += numel;
    } else if (role.role === 'unknown') {
      unknown.push(name);
    } else {
      byCanonical.set(role.canonical, [...(byCanonical.get(role.canonical) ?? []), name]);
      counts.encoder += numel;
    }
  }
  const problems: string[] = [];
  const duplicated = [...byCanonical].filter(([, s]) => s.length > 1);
  if (duplicated.length)
    problems.push(`several tensors for one weight: ${duplicated.map(([c, s]) => `${c} <- ${s.join(' + ')}`).join('; ')}`);
  // Positional conv: a plain weight, or g and v (either naming), never both.
  const g = byCanonical.get(POS_CONV_G)?.[0];
  const v = byCanonical.get(POS_CONV_V)?.[0];
  const plain = byCanonical.get(POS_CONV_WEIGHT)?.[0];
  let posConv: CanonicalWeights['posConv'] = { stored: 'plain' };
  if (g || v) {
    if (!g || !v)
      problems.push(
        `positional conv has ${g ? 'a weight-norm gain without its direction' : 'a weight-norm direction without its gain'} (${g ?? v})`,
      );
    else if (plain) problems.push(`positional conv has both a plain weight (${plain}) and weight-norm parts (${g}, ${v})`);
    else {
      const vShape = source.info(v).shape;
      const want = expected.get(POS_CONV_WEIGHT)!;
      if (vShape.join() !== want.join()) problems.push(`${v}: shape [${vShape}], expected [${want}]`);
      else
        posConv = {
          stored: /parametrizations/.test(g) ? 'parametrizations' : 'weight_g/weight_v',
          dim: weightNormDim(source.info(g).shape, vShape, file),
        };
    }
    byCanonical.delete(POS_CONV_G);
    byCanonical.delete(POS_CONV_V);
    if (g && v && !plain) byCanonical.set(POS_CONV_WEIGHT, [g, v]);
  }
  const missing = [...expected.keys()].filter((c) => !byCanonical.has(c));
  const unexpected = [...byCanonical.keys()].filter((c) => !expected.has(c)).map((c) => byCanonical.get(c)![0]);
  for (const [c, shape] of expected) {
    const s = byCanonical.get(c);
    if (!s || (c === POS_CONV_WEIGHT && s.length === 2)) continue;
    const info = source.info(s[0]);
    if (info.shape.join() !== shape.join()) problems.push(`${s[0]}: shape [${info.shape}], expected [${shape}]`);
    else if (!isFloatDType(info.dtype)) problems.push(`${s[0]}: dtype ${info.dtype}, expected a float type`);
  }
  if (missing.length) problems.unshift(`missing ${missing.length}: ${listSome(missing)}`);
  if (unexpected.length + unknown.length)
    problems.push(`unexpected ${unexpected.length + unknown.length}: ${listSome([...unexpected, ...unknown])}`);
  if (problems.length) {
    throw new CheckpointError(
      'checkpoint-keys',
      `tensors do not match the ${arch.family} ${arch.layout} architecture of the config (${arch.numLayers} layers, width ${arch.hiddenSize}): ${problems.join('; ')}`,
      {
        file,
        hint: 'the config and the weights must belong to the same model',
      },
    );
  }
  const sources = new Map([...expected.keys()].map((c) => [c, byCanonical.get(c)!]));
  return {
    arch,
    shapes: expected,
    sources,
    posConv,
    maskEmbedding,
    extras,
    parameters: counts,
    float32(name: string): Float32Array {
      const s = sources.get(name);
      if (!s) throw new CheckpointError('tensor-missing', `no canonical tensor named ${name}`, { file });
      if (s.length === 2) return foldWeightNorm(source.float32(s[0]), source.float32(s[1]), expected.get(name)!, posConv.dim!);
      return source.float32(s[0]);
    },
  };
}

export { MASK_EMBEDDING };

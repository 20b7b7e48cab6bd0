/**
 * One normalized description of a wav2vec2-family encoder (wav2vec 2.0, HuBERT, WavLM, AVES), whatever
 * config it came from: the graph builder needs only this and the canonical weights (canonical.ts).
 * This file: the type, shared checks, and the torchaudio (AVES) config reader; hfConfig.ts and
 * fairseqConfig.ts read the other two.
 */
import { CheckpointError } from '../util/errors.js';
import type { PlainObject } from './plain.js';

export type Family = 'wav2vec2' | 'hubert' | 'wavlm';

export interface ConvLayerSpec {
  /** Output channels. */
  dim: number;
  kernel: number;
  stride: number;
}

export interface Wav2Vec2Arch {
  family: Family;
  /**
   * 'post-ln' (base models): each block is x = LN(x + f(x)); the encoder LayerNorm is applied once, to
   * (features + positional conv), before the first layer. 'pre-ln' (large models, HF do_stable_layer_norm,
   * torchaudio encoder_layer_norm_first): x = x + f(LN(x)); the encoder LayerNorm follows the last layer.
   */
  layout: 'post-ln' | 'pre-ln';
  /** 'group': GroupNorm(C, C) after the first conv only (base); 'layer': LayerNorm over channels after every conv (large). */
  featExtractNorm: 'group' | 'layer';
  convLayers: ConvLayerSpec[];
  convBias: boolean;
  /** Activation after each conv and after the positional conv ('gelu' = exact erf GELU). */
  featExtractActivation: string;
  /** eps of the conv stack's GroupNorm/LayerNorm (1e-5 in every implementation). */
  convNormEps: number;
  /** Whether a LayerNorm precedes the feature projection (HuBERT configs may turn it off; always on otherwise). */
  featureProjectionLayerNorm: boolean;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  ffnDim: number;
  /** Feed-forward activation ('gelu' = exact erf GELU). */
  activation: string;
  posConvKernel: number;
  posConvGroups: number;
  /** eps of the feature-projection, encoder and per-layer LayerNorms. */
  layerNormEps: number;
  /** WavLM: T5-style bucketed relative position bias (embedding in layer 0), gated per layer by a GRU-like gate. */
  relativePositionBias?: { numBuckets: number; maxDistance: number; gated: true };
  /** Which config format this was read from. */
  source: 'hf' | 'torchaudio' | 'fairseq';
}

/** Number of output frames for `samples` input samples (the conv stack has no padding). */
export function frameCount(arch: Wav2Vec2Arch, samples: number): number {
  let n = samples;
  for (const c of arch.convLayers) n = Math.floor((n - c.kernel) / c.stride) + 1;
  return Math.max(0, n);
}

/** Throws a CheckpointError naming `file` unless the description is buildable. */
export function checkArch(a: Wav2Vec2Arch, file: string): Wav2Vec2Arch {
  const bad = (msg: string) => new CheckpointError('config-invalid', msg, { file });
  const pos = (v: number, what: string) => {
    if (!Number.isInteger(v) || v <= 0) throw bad(`${what} must be a positive integer, got ${v}`);
  };
  pos(a.hiddenSize, 'hidden size');
  pos(a.numLayers, 'layer count');
  pos(a.numHeads, 'head count');
  pos(a.ffnDim, 'feed-forward size');
  pos(a.posConvKernel, 'positional conv kernel');
  pos(a.posConvGroups, 'positional conv groups');
  if (a.hiddenSize % a.numHeads) throw bad(`hidden size ${a.hiddenSize} is not divisible by ${a.numHeads} heads`);
  if (a.hiddenSize % a.posConvGroups)
    throw bad(`hidden size ${a.hiddenSize} is not divisible by ${a.posConvGroups} positional conv groups`);
  if (a.convLayers.length === 0) throw bad('the feature extractor has no conv layers');
  for (const c of a.convLayers) {
    pos(c.dim, 'conv dim');
    pos(c.kernel, 'conv kernel');
    pos(c.stride, 'conv stride');
  }
  if (!(a.layerNormEps > 0) || !(a.convNormEps > 0)) throw bad('LayerNorm eps must be positive');
  if (a.relativePositionBias) {
    pos(a.relativePositionBias.numBuckets, 'relative position buckets');
    pos(a.relativePositionBias.maxDistance, 'relative position max distance');
  }
  return a;
}

// ---- typed access to untyped config objects ----------------------------------------------------------------
export function field<T>(cfg: PlainObject, key: string, fallback: T, file: string, check: (v: unknown) => boolean, what: string): T {
  const v = cfg[key];
  if (v === undefined || v === null) return fallback;
  if (!check(v)) throw new CheckpointError('config-invalid', `${key} must be ${what}, got ${JSON.stringify(v)}`, { file });
  return v as T;
}
export const isInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v);
export const isNum = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
export const isBool = (v: unknown) => typeof v === 'boolean';
export const isStr = (v: unknown) => typeof v === 'string';
export const isIntList = (v: unknown) => Array.isArray(v) && v.every(isInt);

/** torchaudio's default conv stack (wav2vec2_model with extractor_conv_layer_config=None). */
export const DEFAULT_CONV: ConvLayerSpec[] = [
  { dim: 512, kernel: 10, stride: 5 },
  ...Array(4).fill({ dim: 512, kernel: 3, stride: 2 }),
  ...Array(2).fill({ dim: 512, kernel: 2, stride: 2 }),
];

/**
 * A torchaudio `wav2vec2_model(**config)` argument set (AVES' `<name>.torchaudio.model_config.json`).
 * The structure keys are required, as wav2vec2_model requires them; dropouts are ignored.
 */
export function archFromTorchaudio(cfg: PlainObject, file: string, family: Family = 'wav2vec2'): Wav2Vec2Arch {
  const required = [
    'extractor_mode',
    'extractor_conv_bias',
    'encoder_embed_dim',
    'encoder_pos_conv_kernel',
    'encoder_pos_conv_groups',
    'encoder_num_layers',
    'encoder_num_heads',
    'encoder_ff_interm_features',
    'encoder_layer_norm_first',
  ];
  const missing = required.filter((k) => cfg[k] === undefined);
  if (missing.length)
    throw new CheckpointError('config-invalid', `torchaudio config lacks ${missing.join(', ')}`, {
      file,
      hint: 'expected the arguments of torchaudio.models.wav2vec2_model',
    });
  if ('encoder_num_buckets' in cfg)
    throw new CheckpointError('config-unsupported', 'torchaudio WavLM configs (wavlm_model) are not read yet', {
      file,
      hint: 'use the Hugging Face WavLM checkpoint',
    });
  const mode = field<string>(
    cfg,
    'extractor_mode',
    '',
    file,
    (v) => v === 'group_norm' || v === 'layer_norm',
    '"group_norm" or "layer_norm"',
  );
  const conv = cfg.extractor_conv_layer_config;
  let convLayers = DEFAULT_CONV;
  if (conv !== null && conv !== undefined) {
    if (!Array.isArray(conv) || !conv.every((c) => isIntList(c) && (c as number[]).length === 3)) {
      throw new CheckpointError('config-invalid', 'extractor_conv_layer_config must be a list of [dim, kernel, stride]', { file });
    }
    convLayers = (conv as number[][]).map(([dim, kernel, stride]) => ({ dim, kernel, stride }));
  }
  return checkArch(
    {
      family,
      source: 'torchaudio',
      layout: field(cfg, 'encoder_layer_norm_first', false, file, isBool, 'a boolean') ? 'pre-ln' : 'post-ln',
      featExtractNorm: mode === 'group_norm' ? 'group' : 'layer',
      convLayers,
      convBias: field(cfg, 'extractor_conv_bias', false, file, isBool, 'a boolean'),
      featExtractActivation: 'gelu',
      convNormEps: 1e-5,
      featureProjectionLayerNorm: true,
      hiddenSize: field(cfg, 'encoder_embed_dim', 0, file, isInt, 'an integer'),
      numLayers: field(cfg, 'encoder_num_layers', 0, file, isInt, 'an integer'),
      numHeads: field(cfg, 'encoder_num_heads', 0, file, isInt, 'an integer'),
      ffnDim: field(cfg, 'encoder_ff_interm_features', 0, file, isInt, 'an integer'),
      activation: 'gelu',
      posConvKernel: field(cfg, 'encoder_pos_conv_kernel', 0, file, isInt, 'an integer'),
      posConvGroups: field(cfg, 'encoder_pos_conv_groups', 0, file, isInt, 'an integer'),
      layerNormEps: 1e-5,
    },
    file,
  );
}

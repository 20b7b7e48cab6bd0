/**
 * Hugging Face `config.json` of model_type wav2vec2, hubert or wavlm -> Wav2Vec2Arch. Keys a config
 * omits take transformers' class defaults (recent transformers leave defaults out of saved configs).
 */
import { CheckpointError } from '../util/errors.js';
import { checkArch, field, isBool, isInt, isIntList, isNum, isStr, type Family, type Wav2Vec2Arch } from './arch.js';
import type { PlainObject } from './plain.js';

const FAMILIES: Record<string, Family> = { wav2vec2: 'wav2vec2', hubert: 'hubert', wavlm: 'wavlm' };

/** model_types of the same lineage that bioprobe does not build, with why. */
const UNSUPPORTED: Record<string, string> = {
  'wav2vec2-conformer': 'conformer blocks and rotary/relative positions',
  'wav2vec2-bert': 'a w2v-BERT conformer on mel features',
  'data2vec-audio': 'a stack of positional convolutions (not one weight-normed conv)',
  unispeech: 'extra pre-training heads (the encoder is wav2vec2-like, but not verified)',
  'unispeech-sat': 'extra pre-training heads (the encoder is wav2vec2-like, but not verified)',
  sew: 'squeezed (downsampled) transformer layers',
  'sew-d': 'disentangled attention',
};

export function archFromHfConfig(cfg: PlainObject, file: string): Wav2Vec2Arch {
  const type = cfg.model_type;
  if (typeof type !== 'string' || !(type in FAMILIES)) {
    const why = typeof type === 'string' ? UNSUPPORTED[type] : undefined;
    throw new CheckpointError(
      'config-unsupported',
      `model_type ${JSON.stringify(type)} is not a wav2vec2, hubert or wavlm config${why ? ` (${why})` : ''}`,
      { file },
    );
  }
  const family = FAMILIES[type];
  const f = <T>(key: string, fallback: T, check: (v: unknown) => boolean, what: string) => field(cfg, key, fallback, file, check, what);
  if (cfg.adapter_attn_dim !== undefined && cfg.adapter_attn_dim !== null) {
    throw new CheckpointError(
      'config-unsupported',
      `adapter_attn_dim=${cfg.adapter_attn_dim}: per-layer attention adapters (MMS) are not built`,
      { file },
    );
  }
  if (f('conv_pos_batch_norm', false, isBool, 'a boolean')) {
    throw new CheckpointError('config-unsupported', 'conv_pos_batch_norm=true: a batch-normed positional conv is not built', { file });
  }
  const dims = f<number[]>('conv_dim', [512, 512, 512, 512, 512, 512, 512], isIntList, 'a list of integers');
  const kernels = f<number[]>('conv_kernel', [10, 3, 3, 3, 3, 2, 2], isIntList, 'a list of integers');
  const strides = f<number[]>('conv_stride', [5, 2, 2, 2, 2, 2, 2], isIntList, 'a list of integers');
  if (dims.length !== kernels.length || dims.length !== strides.length) {
    throw new CheckpointError(
      'config-invalid',
      `conv_dim, conv_kernel and conv_stride have ${dims.length}, ${kernels.length} and ${strides.length} entries`,
      { file },
    );
  }
  const norm = f('feat_extract_norm', 'group', (v) => v === 'group' || v === 'layer', '"group" or "layer"');
  const arch: Wav2Vec2Arch = {
    family,
    source: 'hf',
    layout: f('do_stable_layer_norm', false, isBool, 'a boolean') ? 'pre-ln' : 'post-ln',
    featExtractNorm: norm as 'group' | 'layer',
    convLayers: dims.map((dim, i) => ({ dim, kernel: kernels[i], stride: strides[i] })),
    convBias: f('conv_bias', false, isBool, 'a boolean'),
    featExtractActivation: f('feat_extract_activation', 'gelu', isStr, 'a string'),
    convNormEps: 1e-5,
    featureProjectionLayerNorm: family === 'hubert' ? f('feat_proj_layer_norm', true, isBool, 'a boolean') : true,
    hiddenSize: f('hidden_size', 768, isInt, 'an integer'),
    numLayers: f('num_hidden_layers', 12, isInt, 'an integer'),
    numHeads: f('num_attention_heads', 12, isInt, 'an integer'),
    ffnDim: f('intermediate_size', 3072, isInt, 'an integer'),
    activation: f('hidden_act', 'gelu', isStr, 'a string'),
    posConvKernel: f('num_conv_pos_embeddings', 128, isInt, 'an integer'),
    posConvGroups: f('num_conv_pos_embedding_groups', 16, isInt, 'an integer'),
    layerNormEps: f('layer_norm_eps', 1e-5, isNum, 'a number'),
  };
  if (family === 'wavlm') {
    arch.relativePositionBias = {
      numBuckets: f('num_buckets', 320, isInt, 'an integer'),
      maxDistance: f('max_bucket_distance', 800, isInt, 'an integer'),
      gated: true,
    };
  }
  return checkArch(arch, file);
}

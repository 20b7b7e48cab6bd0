/**
 * Source tensor names -> canonical names (names.ts), for the three naming schemes checkpoints use:
 * transformers (any head: `wav2vec2.`/`hubert.`/`wavlm.` prefixes, heads outside them), torchaudio
 * (`encoder.transformer.*`, AVES) and fairseq (`self_attn`, `fc1`, `post_extract_proj`, `encoder.pos_conv.0`,
 * fine-tunes under `w2v_encoder.w2v_model.`). Both weight-norm namings (`weight_g`/`weight_v` and
 * `parametrizations.weight.original0/1`) map to the positional conv's g and v.
 */
import { MASK_EMBEDDING, POS_CONV_G, POS_CONV_V } from './names.js';

export type NamingScheme = 'hf' | 'torchaudio' | 'fairseq';

/** What one source name is. */
export type KeyRole =
  | { role: 'encoder'; canonical: string }
  | { role: 'mask'; canonical: typeof MASK_EMBEDDING }
  /** A head or pre-training tensor the encoder does not use (CTC, classifier, quantizer, final_proj...). */
  | { role: 'extra' }
  /** Looks like nothing this scheme has: reported as unexpected. */
  | { role: 'unknown' };

/** Names the encoder's canonical tensors have (layer indices and conv indices checked later against the arch). */
const CANONICAL = new RegExp(
  '^(' +
    [
      String.raw`feature_extractor\.conv_layers\.\d+\.(conv|layer_norm)\.(weight|bias)`,
      String.raw`feature_projection\.(layer_norm|projection)\.(weight|bias)`,
      String.raw`encoder\.pos_conv_embed\.conv\.(weight|bias|weight_g|weight_v)`,
      String.raw`encoder\.layer_norm\.(weight|bias)`,
      String.raw`encoder\.layers\.\d+\.attention\.(q_proj|k_proj|v_proj|out_proj|gru_rel_pos_linear)\.(weight|bias)`,
      String.raw`encoder\.layers\.\d+\.attention\.(gru_rel_pos_const|rel_attn_embed\.weight)`,
      String.raw`encoder\.layers\.\d+\.(layer_norm|final_layer_norm)\.(weight|bias)`,
      String.raw`encoder\.layers\.\d+\.feed_forward\.(intermediate_dense|output_dense)\.(weight|bias)`,
    ].join('|') +
    ')$',
);

const WEIGHT_NORM: [RegExp, string][] = [
  [/^encoder\.pos_conv_embed\.conv\.(weight_g|parametrizations\.weight\.original0)$/, POS_CONV_G],
  [/^encoder\.pos_conv_embed\.conv\.(weight_v|parametrizations\.weight\.original1)$/, POS_CONV_V],
];

const TORCHAUDIO: [RegExp, string][] = [
  [/^encoder\.feature_projection\./, 'feature_projection.'],
  [/^encoder\.transformer\.pos_conv_embed\./, 'encoder.pos_conv_embed.'],
  [/^encoder\.transformer\./, 'encoder.'],
];

const FAIRSEQ: [RegExp, string][] = [
  [/^feature_extractor\.conv_layers\.(\d+)\.0\.(weight|bias)$/, 'feature_extractor.conv_layers.$1.conv.$2'],
  [/^feature_extractor\.conv_layers\.0\.2\.(weight|bias)$/, 'feature_extractor.conv_layers.0.layer_norm.$1'],
  [/^feature_extractor\.conv_layers\.(\d+)\.2\.1\.(weight|bias)$/, 'feature_extractor.conv_layers.$1.layer_norm.$2'],
  [/^post_extract_proj\.(weight|bias)$/, 'feature_projection.projection.$1'],
  [/^layer_norm\.(weight|bias)$/, 'feature_projection.layer_norm.$1'],
  [/^encoder\.pos_conv\.0\./, 'encoder.pos_conv_embed.conv.'],
  [/^encoder\.layers\.(\d+)\.self_attn\.(q_proj|k_proj|v_proj|out_proj)\./, 'encoder.layers.$1.attention.$2.'],
  [/^encoder\.layers\.(\d+)\.self_attn_layer_norm\./, 'encoder.layers.$1.layer_norm.'],
  [/^encoder\.layers\.(\d+)\.fc1\./, 'encoder.layers.$1.feed_forward.intermediate_dense.'],
  [/^encoder\.layers\.(\d+)\.fc2\./, 'encoder.layers.$1.feed_forward.output_dense.'],
];

/** Heads and pre-training tensors, per scheme (after the base prefix is removed, or outside it). */
const EXTRAS: Record<NamingScheme, RegExp> = {
  hf: /^(lm_head|projector|classifier|layer_weights|quantizer|project_hid|project_q|adapter|tdnn|feature_extractor_pooling|objective|dropout_features)(\.|$)/,
  torchaudio: /^(aux|logit_generator|mask_generator)(\.|$)/,
  fairseq: /^(quantizer|project_q|project_inp|final_proj|label_embs_concat|target_glu|proj|decoder|w2v_encoder\.proj)(\.|$)/,
};

const HF_PREFIX = /^(wav2vec2|hubert|wavlm)\./;
const FAIRSEQ_PREFIX = /^(w2v_encoder\.w2v_model|w2v_model)\./;

/** The base-model prefix a checkpoint's names use ('' when none). */
export function basePrefix(scheme: NamingScheme, names: readonly string[]): string {
  const re = scheme === 'hf' ? HF_PREFIX : scheme === 'fairseq' ? FAIRSEQ_PREFIX : /^wav2vec2\./;
  for (const n of names) {
    const m = re.exec(n);
    if (m) return m[0];
  }
  return '';
}

function rename(name: string, rules: [RegExp, string][]): string {
  for (const [re, rep] of rules) if (re.test(name)) return name.replace(re, rep);
  return name;
}

/** Classify one source name. `prefix` from basePrefix(): names outside it are heads. */
export function mapKey(scheme: NamingScheme, prefix: string, source: string): KeyRole {
  if (prefix && !source.startsWith(prefix))
    return EXTRAS[scheme].test(source) || scheme !== 'fairseq' ? { role: 'extra' } : { role: 'unknown' };
  let n = source.slice(prefix.length);
  if (
    (scheme === 'hf' && n === 'masked_spec_embed') ||
    (scheme === 'fairseq' && n === 'mask_emb') ||
    (scheme === 'torchaudio' && n === 'mask_generator.mask_embedding')
  ) {
    return { role: 'mask', canonical: MASK_EMBEDDING };
  }
  if (EXTRAS[scheme].test(n)) return { role: 'extra' };
  if (scheme === 'torchaudio') n = rename(n, TORCHAUDIO);
  if (scheme === 'fairseq') n = rename(n, FAIRSEQ);
  n = rename(n, WEIGHT_NORM);
  return CANONICAL.test(n) ? { role: 'encoder', canonical: n } : { role: 'unknown' };
}

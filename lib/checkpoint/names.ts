/**
 * The canonical tensor names of an encoder and their shapes, from its Wav2Vec2Arch. Canonical = the names
 * of transformers' base model (Wav2Vec2Model / HubertModel / WavLMModel, no `wav2vec2.` prefix), with the
 * weight-normed positional conv folded into one plain `encoder.pos_conv_embed.conv.weight`. Every source
 * format is mapped onto these (keymap.ts); the graph builder reads only these.
 */
import type { Wav2Vec2Arch } from './arch.js';

/** Canonical name -> shape, in a stable order (conv stack, projection, positional conv, encoder, layers). */
export function canonicalShapes(a: Wav2Vec2Arch): Map<string, number[]> {
  const m = new Map<string, number[]>();
  const D = a.hiddenSize;
  const F = a.ffnDim;
  const H = a.numHeads;
  let cin = 1;
  a.convLayers.forEach((c, i) => {
    const pre = `feature_extractor.conv_layers.${i}`;
    m.set(`${pre}.conv.weight`, [c.dim, cin, c.kernel]);
    if (a.convBias) m.set(`${pre}.conv.bias`, [c.dim]);
    if (a.featExtractNorm === 'layer' || i === 0) {
      m.set(`${pre}.layer_norm.weight`, [c.dim]);
      m.set(`${pre}.layer_norm.bias`, [c.dim]);
    }
    cin = c.dim;
  });
  if (a.featureProjectionLayerNorm) {
    m.set('feature_projection.layer_norm.weight', [cin]);
    m.set('feature_projection.layer_norm.bias', [cin]);
  }
  m.set('feature_projection.projection.weight', [D, cin]);
  m.set('feature_projection.projection.bias', [D]);
  m.set('encoder.pos_conv_embed.conv.weight', [D, D / a.posConvGroups, a.posConvKernel]);
  m.set('encoder.pos_conv_embed.conv.bias', [D]);
  m.set('encoder.layer_norm.weight', [D]);
  m.set('encoder.layer_norm.bias', [D]);
  for (let n = 0; n < a.numLayers; n++) {
    const pre = `encoder.layers.${n}`;
    for (const p of ['q_proj', 'k_proj', 'v_proj', 'out_proj']) {
      m.set(`${pre}.attention.${p}.weight`, [D, D]);
      m.set(`${pre}.attention.${p}.bias`, [D]);
    }
    if (a.relativePositionBias) {
      m.set(`${pre}.attention.gru_rel_pos_const`, [1, H, 1, 1]);
      m.set(`${pre}.attention.gru_rel_pos_linear.weight`, [8, D / H]);
      m.set(`${pre}.attention.gru_rel_pos_linear.bias`, [8]);
      if (n === 0) m.set(`${pre}.attention.rel_attn_embed.weight`, [a.relativePositionBias.numBuckets, H]);
    }
    m.set(`${pre}.layer_norm.weight`, [D]);
    m.set(`${pre}.layer_norm.bias`, [D]);
    m.set(`${pre}.feed_forward.intermediate_dense.weight`, [F, D]);
    m.set(`${pre}.feed_forward.intermediate_dense.bias`, [F]);
    m.set(`${pre}.feed_forward.output_dense.weight`, [D, F]);
    m.set(`${pre}.feed_forward.output_dense.bias`, [D]);
    m.set(`${pre}.final_layer_norm.weight`, [D]);
    m.set(`${pre}.final_layer_norm.bias`, [D]);
  }
  return m;
}

/** The positional conv weight, stored weight-normed (g, v) or plain; canonical.ts folds it. */
export const POS_CONV_WEIGHT = 'encoder.pos_conv_embed.conv.weight';
export const POS_CONV_G = 'encoder.pos_conv_embed.conv.weight_g';
export const POS_CONV_V = 'encoder.pos_conv_embed.conv.weight_v';

/** Non-encoder tensors the canonical naming keeps a name for (the rest are reported as extras). */
export const MASK_EMBEDDING = 'masked_spec_embed';

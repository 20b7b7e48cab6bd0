/**
 * The transformer layers, as transformers computes them (Wav2Vec2EncoderLayer / ...StableLayerNorm and
 * the HuBERT and WavLM equivalents; torchaudio's are the same arithmetic):
 *   post-LN (base): h = LN1(x + Attn(x));            y = LN2(h + FFN(h))
 *   pre-LN (large): r = x + Attn(LN1(x));             y = r + FFN(LN2(r))
 * FFN(h) = Linear2(GELU(Linear1(h))). Output biases (attention out_proj, Linear2) are added inside the
 * residual step (one Sum of three, or a fused SkipLayerNormalization doing bias + residual + LayerNorm
 * at once); in pre-LN models the LayerNorm opening the next block follows this layer's last residual sum.
 */
import type { Emitter } from './emit.js';
import { MS_DOMAIN } from './emit.js';
import { gatedBias } from './relativePosition.js';

/** Self-attention of `x` [B, T, D] up to the output projection's MatMul (its bias is left to the caller). */
export function attention(e: Emitter, x: string, layer: number, bias?: string): string {
  const g = e.g;
  const a = e.w.arch;
  const H = a.numHeads;
  const hd = a.hiddenSize / H;
  const pre = `encoder.layers.${layer}.attention`;
  const attnBias = bias ? gatedBias(e, x, bias, layer) : undefined;
  let context: string;
  if (e.fuse.attention) {
    const parts = ['q_proj', 'k_proj', 'v_proj'].map((p) => `${pre}.${p}`);
    const w = e.packedWeightT(
      `${pre}.qkv.weight.T`,
      parts.map((p) => `${p}.weight`),
    );
    const b = e.packedBias(
      `${pre}.qkv.bias`,
      parts.map((p) => `${p}.bias`),
    );
    const inputs = [x, w, b];
    if (attnBias) inputs.push('', '', attnBias);
    context = g.op('Attention', inputs, { num_heads: { i: H } }, `attention_${layer}`, MS_DOMAIN);
  } else {
    const split = (t: string, perm: number[]) =>
      g.op('Transpose', [g.op('Reshape', [t, g.constI([0, 0, H, hd], [4])])], { perm: { ints: perm } });
    const q = split(e.linear(x, `${pre}.q_proj`), [0, 2, 1, 3]); // [B, H, T, hd]
    const k = split(e.linear(x, `${pre}.k_proj`), [0, 2, 3, 1]); // [B, H, hd, T]
    const v = split(e.linear(x, `${pre}.v_proj`), [0, 2, 1, 3]);
    let scores = g.op('Mul', [g.op('MatMul', [q, k]), g.constF(hd ** -0.5)]);
    if (attnBias) scores = g.op('Add', [scores, attnBias]);
    const probs = g.op('Softmax', [scores], { axis: { i: -1 } });
    const ctx = g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: { ints: [0, 2, 1, 3] } });
    context = g.op('Reshape', [ctx, g.constI([0, 0, a.hiddenSize], [3])], {}, `attention_${layer}`);
  }
  return e.matmul(context, `${pre}.out_proj`, `attention_out_${layer}`);
}

/** The feed-forward block of `h` up to its second MatMul (the output bias is left to the caller). */
export function feedForward(e: Emitter, h: string, layer: number): string {
  const pre = `encoder.layers.${layer}.feed_forward`;
  const inner = e.biasGelu(
    e.matmul(h, `${pre}.intermediate_dense`, `ffn_in_${layer}`),
    `${pre}.intermediate_dense.bias`,
    `ffn_act_${layer}`,
  );
  return e.matmul(inner, `${pre}.output_dense`, `ffn_out_${layer}`);
}

/** Post-LN layers: returns every layer's output, the first being layer 1. */
export function postLnLayers(e: Emitter, input: string, bias?: string): string[] {
  const a = e.w.arch;
  const eps = a.layerNormEps;
  const outputs: string[] = [];
  let x = input;
  for (let n = 0; n < a.numLayers; n++) {
    const pre = `encoder.layers.${n}`;
    const att = attention(e, x, n, bias);
    const h = e.residualNorm(x, att, `${pre}.attention.out_proj.bias`, `${pre}.layer_norm`, eps, `layer_norm_${n}`).norm;
    const ff = feedForward(e, h, n);
    x = e.residualNorm(h, ff, `${pre}.feed_forward.output_dense.bias`, `${pre}.final_layer_norm`, eps, `final_layer_norm_${n}`).norm;
    outputs.push(x);
  }
  return outputs;
}

/**
 * Pre-LN layers: returns every layer's output before any LayerNorm (the residual sums; the encoder's
 * final LayerNorm is not part of the last layer, as in torchaudio's and bioprobe's tapped graphs).
 */
export function preLnLayers(e: Emitter, input: string, bias?: string): string[] {
  const g = e.g;
  const a = e.w.arch;
  const eps = a.layerNormEps;
  const outputs: string[] = [];
  let x = input;
  let normed = e.layerNorm(x, 'encoder.layers.0.layer_norm', eps, 'layer_norm_0');
  for (let n = 0; n < a.numLayers; n++) {
    const pre = `encoder.layers.${n}`;
    const att = attention(e, normed, n, bias);
    const r = e.residualNorm(x, att, `${pre}.attention.out_proj.bias`, `${pre}.final_layer_norm`, eps, `final_layer_norm_${n}`);
    const ff = feedForward(e, r.norm, n);
    const outBias = `${pre}.feed_forward.output_dense.bias`;
    if (n + 1 < a.numLayers) {
      const next = e.residualNorm(r.sum, ff, outBias, `encoder.layers.${n + 1}.layer_norm`, eps, `layer_norm_${n + 1}`);
      x = next.sum;
      normed = next.norm;
    } else {
      x = g.op('Add', [r.sum, g.op('Add', [ff, e.weight(outBias)])], {}, `layer_${n + 1}`);
    }
    outputs.push(x);
  }
  return outputs;
}

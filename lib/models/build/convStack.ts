/**
 * The CNN feature extractor: 1-d convolutions over the waveform, each followed by its norm and GELU.
 * 'group' (base models): GroupNorm(C, C) after the first conv only, i.e. one mean and variance per
 * channel over time; 'layer' (large models): a LayerNorm over channels after every conv. Conv-stack
 * norms use arch.convNormEps (1e-5 in every implementation).
 *
 * The convolutions are written as 2-d ones over [B, C, 1, T] (kernel [1, k]): onnxruntime's CPU
 * provider runs 2-d convolutions in its blocked NCHWc layout, about twice as fast as its 1-d path for
 * these shapes (measured: docs/BENCHMARKS.md), with the same arithmetic per output up to summation order.
 */
import type { Emitter } from './emit.js';

/** [B, N] waveform -> [B, C, 1, T] features. */
export function convStack(e: Emitter, wave: string): string {
  const g = e.g;
  const a = e.w.arch;
  let x = g.op('Unsqueeze', [wave, g.constI([1, 2], [2])]); // [B, 1, 1, N]
  a.convLayers.forEach((c, i) => {
    const pre = `feature_extractor.conv_layers.${i}`;
    const inputs = [x, e.weight2d(`${pre}.conv.weight`)];
    if (a.convBias) inputs.push(e.weight(`${pre}.conv.bias`));
    x = g.op('Conv', inputs, { kernel_shape: { ints: [1, c.kernel] }, strides: { ints: [1, c.stride] } }, `conv_${i}`);
    if (a.featExtractNorm === 'group' && i === 0) {
      x = g.op(
        'InstanceNormalization',
        [x, e.weight(`${pre}.layer_norm.weight`), e.weight(`${pre}.layer_norm.bias`)],
        { epsilon: { f: a.convNormEps } },
        `conv_norm_${i}`,
      );
    } else if (a.featExtractNorm === 'layer') {
      const t = g.op('Transpose', [x], { perm: { ints: [0, 2, 3, 1] } }); // [B, 1, T, C]
      x = g.op('Transpose', [e.layerNorm(t, `${pre}.layer_norm`, a.convNormEps, `conv_norm_${i}`)], { perm: { ints: [0, 3, 1, 2] } });
    }
    x = e.gelu(x, `conv_act_${i}`);
  });
  return x;
}

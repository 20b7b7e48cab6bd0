/**
 * The CNN feature extractor: 1-d convolutions over the waveform, each followed by its norm and GELU.
 * 'group' (base models): GroupNorm(C, C) after the first conv only, i.e. one mean and variance per
 * channel over time; 'layer' (large models): a LayerNorm over channels after every conv. Conv-stack
 * norms use arch.convNormEps (1e-5 in every implementation).
 *
 * The first convolution (one input channel, kernel a multiple of its stride: 10/5 in every released
 * model) is a MatMul over frames: the waveform cut to whole strides is read as [B, frames, stride],
 * neighbouring rows side by side make each output frame's kernel window, and one [C, k] x [k, T]
 * product gives [B, C, T]. As a Conv, onnxruntime computed it in its blocked layout and reordered the
 * 512 x T output back for the norm; the MatMul form drops that reorder: 1-2 % of a forward pass
 * (docs/BENCHMARKS.md "Built graph, profiled"). Same products, summed over the same 10 taps.
 *
 * The other convolutions are written as 2-d ones over [B, C, 1, T] (kernel [1, k]): onnxruntime's CPU
 * provider runs 2-d convolutions in its blocked NCHWc layout, about twice as fast as its 1-d path for
 * these shapes (measured: docs/BENCHMARKS.md), with the same arithmetic per output up to summation order.
 */
import type { ConvLayerSpec } from '../../checkpoint/arch.js';
import type { Emitter } from './emit.js';

/** An open end for Slice (onnxruntime clamps it to the axis). */
const TO_END = Number.MAX_SAFE_INTEGER;

/** Whether the first conv can be written as a MatMul over frames. */
function framesConv(c: ConvLayerSpec): boolean {
  return c.kernel % c.stride === 0;
}

/**
 * [B, N] waveform -> the first conv's output [B, T, C] (time-major, `timeMajor`) or [B, C, T], bias added:
 * frame t is samples [s t, s t + k): rows t .. t + k/s - 1 of the waveform read as [B, floor(N/s), s].
 */
function firstConvAsMatMul(e: Emitter, wave: string, c: ConvLayerSpec, pre: string, timeMajor: boolean): string {
  const g = e.g;
  const q = c.kernel / c.stride;
  const n = g.op('Shape', [wave], { start: { i: 1 }, end: { i: 2 } });
  const whole = g.op('Sub', [n, g.op('Mod', [n, g.constI([c.stride], [1])])]);
  const cut = g.op('Slice', [wave, g.constI([0], [1]), whole, g.constI([1], [1])]);
  const rows = g.op('Reshape', [cut, g.constI([0, -1, c.stride], [3])]); // [B, T + q - 1, s]
  const windows = Array.from({ length: q }, (_, j) =>
    q === 1 ? rows : g.op('Slice', [rows, g.constI([j], [1]), g.constI(j === q - 1 ? TO_END : j - (q - 1), [1]), g.constI([1], [1])]),
  );
  const frames = windows.length === 1 ? windows[0] : g.op('Concat', windows, { axis: { i: 2 } }); // [B, T, k]
  const weight = `${pre}.conv.weight`;
  const C = c.dim;
  const k = c.kernel;
  let y: string;
  if (timeMajor) {
    y = g.op('MatMul', [frames, e.weightViewT(weight, C, k)], {}, 'conv_0');
    if (e.w.arch.convBias) y = g.op('Add', [y, e.weight(`${pre}.conv.bias`)]);
  } else {
    const t = g.op('Transpose', [frames], { perm: { ints: [0, 2, 1] } }); // [B, k, T]
    y = g.op('MatMul', [e.weightAs(weight, [C, k]), t], {}, 'conv_0');
    if (e.w.arch.convBias) y = g.op('Add', [y, e.weightAs(`${pre}.conv.bias`, [C, 1])]);
  }
  return y;
}

/** [B, N] waveform -> [B, C, 1, T] features. */
export function convStack(e: Emitter, wave: string): string {
  const g = e.g;
  const a = e.w.arch;
  let x = '';
  a.convLayers.forEach((c, i) => {
    const pre = `feature_extractor.conv_layers.${i}`;
    if (i === 0 && framesConv(c)) {
      if (a.featExtractNorm === 'layer') {
        const y = firstConvAsMatMul(e, wave, c, pre, true); // [B, T, C]
        const act = e.gelu(e.layerNorm(y, `${pre}.layer_norm`, a.convNormEps, 'conv_norm_0'), 'conv_act_0');
        x = g.op('Unsqueeze', [g.op('Transpose', [act], { perm: { ints: [0, 2, 1] } }), g.constI([2], [1])]);
        return;
      }
      let y = firstConvAsMatMul(e, wave, c, pre, false); // [B, C, T]
      if (a.featExtractNorm === 'group') {
        y = g.op(
          'InstanceNormalization',
          [y, e.weight(`${pre}.layer_norm.weight`), e.weight(`${pre}.layer_norm.bias`)],
          { epsilon: { f: a.convNormEps } },
          'conv_norm_0',
        );
      }
      x = g.op('Unsqueeze', [e.gelu(y, 'conv_act_0'), g.constI([2], [1])]); // [B, C, 1, T]
      return;
    }
    if (i === 0) x = g.op('Unsqueeze', [wave, g.constI([1, 2], [2])]); // [B, 1, 1, N]
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

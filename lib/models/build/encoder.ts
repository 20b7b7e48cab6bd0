/**
 * One ONNX graph for a whole wav2vec2-family encoder, from its canonical weights: waveform
 * `input_values` [batch, samples] in, every layer's hidden states out as `layer_00` .. `layer_L`
 * ([batch, frames, D], float32), the same outputs a tapped graph has (models/tap.ts), time axis dynamic.
 *
 *   conv stack -> [B, T, C] -> LayerNorm -> Linear = P ("projection", AVES' layer 0)
 *   P + GELU(posconv(P)) [-> LayerNorm, post-LN] = E ("encoder-input", HF hidden_states[0])
 *   transformer layers 1..L (transformer.ts)
 */
import type { CanonicalWeights } from '../../checkpoint/canonical.js';
import { CheckpointError } from '../../util/errors.js';
import { GraphBuilder } from '../../onnx/builder.js';
import type { Layer0Tap } from '../detect.js';
import { layerName } from '../tap.js';
import { convStack } from './convStack.js';
import { Emitter, FUSED, MS_DOMAIN, type Fusion } from './emit.js';
import { positionBias } from './relativePosition.js';
import { postLnLayers, preLnLayers } from './transformer.js';

export const INPUT_NAME = 'input_values';

export interface EncoderGraphOptions {
  layer0: Layer0Tap;
  fusion?: Fusion;
  /** Metadata stored in the model (provenance). */
  metadata?: Record<string, string>;
  /** Keep the weights in this external data file (relative to the model's folder), for models over 2 GB. */
  externalData?: string;
}

export interface EncoderGraph {
  bytes: Uint8Array;
  /** With `externalData`: the data file's contents, chunks to write in order. */
  data?: Uint8Array[];
  outputs: string[];
  /** What each output is, layer 0 first (canonical module names). */
  tensors: string[];
}

/** Activations the builder writes: transformers' 'gelu' is the exact erf GELU. */
function checkActivations(w: CanonicalWeights, file: string): void {
  for (const [what, act] of [
    ['feat_extract_activation', w.arch.featExtractActivation],
    ['hidden_act', w.arch.activation],
  ]) {
    if (act !== 'gelu')
      throw new CheckpointError('config-unsupported', `${what} "${act}": only the exact GELU ("gelu") is built`, { file });
  }
}

/** The feature projection P [B, T, D] from conv features [B, C, 1, T]. */
function projection(e: Emitter, features: string): string {
  const a = e.w.arch;
  let h = e.g.op('Squeeze', [e.g.op('Transpose', [features], { perm: { ints: [0, 2, 3, 1] } }), e.g.constI([1], [1])]);
  if (a.featureProjectionLayerNorm) h = e.layerNorm(h, 'feature_projection.layer_norm', a.layerNormEps, 'feature_projection_norm');
  return e.linear(h, 'feature_projection.projection', 'projection');
}

/** GELU(Conv(P)) [B, T, D]: the grouped positional convolution, "same" padding (one frame dropped for even kernels). */
function positionalConv(e: Emitter, p: string): string {
  const g = e.g;
  const a = e.w.arch;
  const K = a.posConvKernel;
  const half = Math.floor(K / 2);
  let x = g.op('Transpose', [p], { perm: { ints: [0, 2, 1] } });
  x = g.op(
    'Conv',
    [x, e.weight('encoder.pos_conv_embed.conv.weight'), e.weight('encoder.pos_conv_embed.conv.bias')],
    {
      kernel_shape: { ints: [K] },
      pads: { ints: [half, half] },
      group: { i: a.posConvGroups },
    },
    'pos_conv',
  );
  if (K % 2 === 0) x = g.op('Slice', [x, g.constI([0], [1]), g.constI([-1], [1]), g.constI([2], [1])]);
  return g.op('Transpose', [e.gelu(x, 'pos_conv_act')], { perm: { ints: [0, 2, 1] } });
}

/** Write the graph (weights as raw initializers). */
export function encoderGraph(w: CanonicalWeights, file: string, opts: EncoderGraphOptions): EncoderGraph {
  checkActivations(w, file);
  const a = w.arch;
  const g = new GraphBuilder('float32');
  const e = new Emitter(g, w, opts.fusion ?? FUSED);
  const wave = g.input(INPUT_NAME, 'float32', ['batch', 'samples']);
  const p = projection(e, convStack(e, wave));
  const pos = positionalConv(e, p);
  const encoderInput =
    a.layout === 'post-ln'
      ? e.residualNorm(p, pos, undefined, 'encoder.layer_norm', a.layerNormEps, 'encoder_input').norm
      : g.op('Add', [p, pos], {}, 'encoder_input');
  const bias = a.relativePositionBias ? positionBias(e, p) : undefined;
  const layers = a.layout === 'post-ln' ? postLnLayers(e, encoderInput, bias) : preLnLayers(e, encoderInput, bias);
  const values = [opts.layer0 === 'projection' ? p : encoderInput, ...layers];
  const outputs = values.map((_, i) => layerName(i));
  values.forEach((t, i) => g.output(t, outputs[i], 'float32', ['batch', 'frames', a.hiddenSize]));
  const model = { opset: 17, domains: { [MS_DOMAIN]: 1 }, metadata: opts.metadata };
  const layer0 =
    opts.layer0 === 'projection'
      ? 'feature_projection'
      : a.layout === 'post-ln'
        ? 'encoder.layer_norm(features + pos_conv_embed)'
        : 'features + pos_conv_embed';
  const tensors = [layer0, ...layers.map((_, n) => `encoder.layers.${n}`)];
  if (opts.externalData) {
    const { model: bytes, data } = g.modelWithExternalData('bioprobe-encoder', opts.externalData, model);
    return { bytes, data, outputs, tensors };
  }
  return { bytes: g.model('bioprobe-encoder', model), outputs, tensors };
}

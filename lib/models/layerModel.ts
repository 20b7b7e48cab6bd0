/**
 * LayerModel: the s3prl-"Upstream"-like face of a model: id, sample rate, layer count, width, frame
 * rate and `embed()`, which runs one clip through the tapped graph in one forward pass and returns
 * every layer's frames. The extraction stage pools these; it never sees ONNX.
 */
import type * as ort from 'onnxruntime-node';
import { ModelError } from '../util/errors.js';
import type { Layer0Tap } from './detect.js';
import { batchFeeds, clipFeeds, type GraphInput } from './feeds.js';
import { asFloat32 } from './tensors.js';
import { createSession, type SessionOptions as ModelSessionOptions } from '../runtime/session.js';
import type { TappedModel } from './tap.js';
import { layerGraph, type LayerGraphOptions } from './source.js';

/** Every layer's hidden states for one clip. */
export interface LayerStates {
  /** Output names, `layer_00` ... `layer_L`. */
  names: string[];
  frames: number;
  dim: number;
  /** One [frames x dim] row-major array per layer, layer 0 first. */
  layers: Float32Array[];
}

export interface LayerModel {
  readonly id: string;
  /** Input sample rate: 16 kHz mono float waveforms. */
  readonly sampleRate: 16000;
  /** Number of layers including layer 0 (13 for base models). */
  readonly layers: number;
  /** Hidden width D (768 for base models). */
  readonly dim: number;
  /** Frames per second of the hidden states (a 20 ms hop: 50; N samples give floor((N-400)/320)+1 frames). */
  readonly frameRate: number;
  readonly layer0: Layer0Tap;
  readonly tapped: TappedModel;
  /** All layers of one clip (16 kHz samples, at least 400), one forward pass. */
  embed(samples: Float32Array): Promise<LayerStates>;
  /** All layers of several clips of one length, one forward pass over them as a batch. */
  embedBatch(clips: readonly Float32Array[]): Promise<LayerStates[]>;
  /** Release the onnxruntime session. */
  dispose(): Promise<void>;
}

export interface OpenOptions extends LayerGraphOptions {
  /** Name used in manifests (default: the file path). */
  id?: string;
  session?: ModelSessionOptions;
}

/** The smallest clip the conv stack accepts (its receptive field). */
export const MIN_SAMPLES = 400;

class OnnxLayerModel implements LayerModel {
  readonly sampleRate = 16000 as const;
  readonly frameRate = 50;
  readonly layers: number;
  readonly dim: number;
  readonly layer0: Layer0Tap;

  constructor(
    readonly id: string,
    readonly tapped: TappedModel,
    private readonly session: ort.InferenceSession,
    private readonly inputs: GraphInput[],
  ) {
    this.layers = tapped.layers;
    this.dim = tapped.dim;
    this.layer0 = tapped.layer0;
  }

  async embed(samples: Float32Array): Promise<LayerStates> {
    if (samples.length < MIN_SAMPLES) {
      throw new ModelError('clip-too-short', `clip has ${samples.length} samples; at least ${MIN_SAMPLES} (25 ms at 16 kHz) are needed`, {
        hint: 'tile short clips (SPEC: repeat up to 5000 samples)',
      });
    }
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = await this.session.run(clipFeeds(this.inputs, samples));
    } catch (err) {
      if (err instanceof ModelError) throw err;
      const shapes = this.inputs.map((i) => `${i.name}[${i.rank === 1 ? samples.length : `1,${samples.length}`}]`).join(', ');
      throw new ModelError('run-failed', `onnxruntime failed on ${shapes}: ${(err as Error).message.split('\n')[0]}`, {
        file: this.tapped.source,
        cause: err,
      });
    }
    const names = this.tapped.outputs;
    const frames = out[names[0]].dims[1];
    return { names, frames, dim: this.dim, layers: names.map((n) => asFloat32(out[n], n)) };
  }

  async embedBatch(clips: readonly Float32Array[]): Promise<LayerStates[]> {
    if (clips.length === 1) return [await this.embed(clips[0])];
    const n = clips[0]?.length ?? 0;
    if (n < MIN_SAMPLES) throw new ModelError('clip-too-short', `clips have ${n} samples; at least ${MIN_SAMPLES} are needed`);
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = await this.session.run(batchFeeds(this.inputs, clips));
    } catch (err) {
      if (err instanceof ModelError) throw err;
      throw new ModelError(
        'run-failed',
        `onnxruntime failed on a batch of ${clips.length} x ${n} samples: ${(err as Error).message.split('\n')[0]}`,
        { file: this.tapped.source, cause: err },
      );
    }
    const names = this.tapped.outputs;
    const [b, frames, dim] = out[names[0]].dims as number[];
    if (b !== clips.length)
      throw new ModelError('batch-shape', `a batch of ${clips.length} gave ${b} outputs`, { file: this.tapped.source });
    const all = names.map((name) => asFloat32(out[name], name));
    return clips.map((_, k) => ({ names, frames, dim, layers: all.map((a) => a.subarray(k * frames * dim, (k + 1) * frames * dim)) }));
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

/** Tap an ONNX file or build a checkpoint's graph (or reuse the cached one) and open a session on it. */
export async function openLayerModel(file: string, opts: OpenOptions = {}): Promise<LayerModel> {
  const tapped = await layerGraph(file, opts);
  const session = await createSession(tapped.path, opts.session);
  return new OnnxLayerModel(opts.id ?? file, tapped, session, tapped.inputs);
}

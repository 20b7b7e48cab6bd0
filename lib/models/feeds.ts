/**
 * The inputs a wav2vec2-family graph declares and how to feed one clip to them: the float waveform
 * ([batch, samples] or [samples]) and, when declared, an int64 attention mask of ones. Only declared
 * inputs are fed; any other input is named in the error instead of failing inside onnxruntime.
 */
import * as ort from 'onnxruntime-node';
import type { GraphProto } from '../onnx/proto.js';
import { DataType, toNumber } from '../onnx/proto.js';
import { ModelError } from '../util/errors.js';

export interface GraphInput {
  name: string;
  /** TensorProto.DataType of the input (1 float32, 7 int64, ...). */
  elemType: number;
  rank: number;
  /** A fixed length declared on the last axis (graphs exported without dynamic axes), else undefined. */
  fixedLength?: number;
}

/** The graph's real inputs (initializers listed as inputs by old exporters excluded). */
export function graphInputs(graph: GraphProto): GraphInput[] {
  const inits = new Set((graph.initializer ?? []).map((t) => t.name));
  return (graph.input ?? [])
    .filter((v) => v.name && !inits.has(v.name))
    .map((v) => {
      const dims = v.type?.tensorType?.shape?.dim ?? [];
      const last = dims[dims.length - 1];
      const fixed = last && !last.dimParam && last.dimValue ? toNumber(last.dimValue as number) : undefined;
      return { name: v.name!, elemType: v.type?.tensorType?.elemType ?? 0, rank: dims.length, ...(fixed ? { fixedLength: fixed } : {}) };
    });
}

/** Check every declared input can be fed; returns the waveform input. */
export function checkInputs(inputs: GraphInput[], file: string): GraphInput {
  const wave = inputs.filter((i) => i.elemType === DataType.FLOAT && (i.rank === 2 || i.rank === 1));
  if (wave.length !== 1) {
    throw new ModelError(
      'bad-inputs',
      `expected one float waveform input [batch, samples], found ${wave.length} among ` +
        `${inputs.map((i) => `${i.name} (type ${i.elemType}, rank ${i.rank})`).join(', ') || 'none'}`,
      { file },
    );
  }
  const unknown = inputs.filter((i) => i !== wave[0] && !isMask(i));
  if (unknown.length) {
    throw new ModelError(
      'bad-inputs',
      `cannot feed graph input(s) ${unknown.map((i) => i.name).join(', ')}: ` + `only a waveform and an attention mask are supported`,
      { file },
    );
  }
  return wave[0];
}

function isMask(i: GraphInput): boolean {
  return /mask/i.test(i.name) && (i.elemType === DataType.INT64 || i.elemType === 9 /* bool */ || i.elemType === 6) /* int32 */;
}

/** Feeds for one clip: the waveform and a mask of ones where declared. */
export function clipFeeds(inputs: GraphInput[], samples: Float32Array): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  const n = samples.length;
  const fixed = inputs.find((i) => i.fixedLength !== undefined && i.fixedLength !== n);
  if (fixed) {
    throw new ModelError(
      'fixed-length',
      `the model was exported for exactly ${fixed.fixedLength} samples (input ${fixed.name}), the clip has ${n}`,
      {
        hint: 're-export it with a dynamic time axis (torch.onnx.export dynamic_axes={"input": {1: "samples"}}); padding would change every frame',
      },
    );
  }
  for (const i of inputs) {
    if (i.elemType === DataType.FLOAT) feeds[i.name] = new ort.Tensor('float32', samples, i.rank === 1 ? [n] : [1, n]);
    else if (i.elemType === DataType.INT64) feeds[i.name] = new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]);
    else if (i.elemType === 6) feeds[i.name] = new ort.Tensor('int32', new Int32Array(n).fill(1), [1, n]);
    else feeds[i.name] = new ort.Tensor('bool', new Uint8Array(n).fill(1), [1, n]);
  }
  return feeds;
}

/**
 * Feeds for several clips of one length as one batch [B, samples] (and a mask of ones where declared);
 * a graph whose waveform input has no batch axis (rank 1) cannot take one.
 */
export function batchFeeds(inputs: GraphInput[], clips: readonly Float32Array[]): Record<string, ort.Tensor> {
  const n = clips[0].length;
  const b = clips.length;
  if (clips.some((c) => c.length !== n)) throw new ModelError('batch-lengths', 'a batch needs clips of one length');
  if (inputs.some((i) => i.rank !== 2)) throw new ModelError('batch-rank', 'the graph has no batch axis on its inputs');
  const fixed = inputs.find((i) => i.fixedLength !== undefined && i.fixedLength !== n);
  if (fixed)
    throw new ModelError(
      'fixed-length',
      `the model was exported for exactly ${fixed.fixedLength} samples (input ${fixed.name}), the clips have ${n}`,
    );
  const feeds: Record<string, ort.Tensor> = {};
  for (const i of inputs) {
    if (i.elemType === DataType.FLOAT) {
      const x = new Float32Array(b * n);
      clips.forEach((c, k) => x.set(c, k * n));
      feeds[i.name] = new ort.Tensor('float32', x, [b, n]);
    } else if (i.elemType === DataType.INT64) feeds[i.name] = new ort.Tensor('int64', new BigInt64Array(b * n).fill(1n), [b, n]);
    else if (i.elemType === 6) feeds[i.name] = new ort.Tensor('int32', new Int32Array(b * n).fill(1), [b, n]);
    else feeds[i.name] = new ort.Tensor('bool', new Uint8Array(b * n).fill(1), [b, n]);
  }
  return feeds;
}

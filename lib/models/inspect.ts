/**
 * What an ONNX file is, without running it: inputs, outputs, opset and producer, parameter count from
 * the initializers, weight dtypes (fp32 vs fp16/quantized), external data, and the layers bioprobe
 * would tap (count, width, which layer-0 taps exist).
 */
import { statSync } from 'node:fs';
import { externalDataFiles } from '../onnx/externalData.js';
import { inlineLocalFunctions } from '../onnx/inline.js';
import { defaultOpset, loadModel, toNumber, type ValueInfoProto } from '../onnx/proto.js';
import { countParameters, weightTypes } from '../onnx/params.js';
import { findLayers, type Layer0Tap, type LayerTensors } from './detect.js';

export interface TensorDesc {
  name: string;
  type: string;
  /** Dims: numbers for fixed sizes, names for symbolic ones, '?' for unknown. */
  shape: (number | string)[];
}

export interface Inspection {
  file: string;
  bytes: number;
  producer: string;
  opset: number;
  nodes: number;
  /** Number of local functions (layers inside them are found after inlining). */
  functions: number;
  inputs: TensorDesc[];
  outputs: TensorDesc[];
  parameters: number;
  weightTypes: string[];
  externalData: string[];
  /** Detected layers; undefined when no wav2vec2-family encoder was recognised. */
  layers?: {
    /** Including layer 0. */
    count: number;
    dim?: number;
    norm: 'post-ln' | 'pre-ln';
    method: LayerTensors['method'];
    /** The layer-0 taps available (a graph that already outputs every layer has its one). */
    layer0: Layer0Tap[];
    tensors: { projection?: string; encoderInput: string; last: string };
  };
}

const TYPE_NAMES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  6: 'int32',
  7: 'int64',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  16: 'bfloat16',
};

function describe(v: ValueInfoProto): TensorDesc {
  const t = v.type?.tensorType;
  return {
    name: v.name ?? '',
    type: TYPE_NAMES[t?.elemType ?? 0] ?? `type${t?.elemType}`,
    shape: (t?.shape?.dim ?? []).map((d) =>
      d.dimParam ? d.dimParam : d.dimValue !== undefined && d.dimValue !== null ? toNumber(d.dimValue as number) : '?',
    ),
  };
}

/** Inspect an ONNX file (throws ModelError for files that are not ONNX). */
export function inspectModel(file: string): Inspection {
  const { model } = loadModel(file);
  const graph = model.graph!;
  const inits = new Set((graph.initializer ?? []).map((t) => t.name));
  const inlined = inlineLocalFunctions(model);
  const meta = new Map((model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? '']));
  const layout = meta.get('bioprobe.layout');
  const found = findLayers(inlined ? { ...graph, node: inlined } : graph, layout === 'pre-ln' || layout === 'post-ln' ? layout : undefined);
  const outputs = (graph.output ?? []).map(describe);
  const fixedLayer0 = meta.get('bioprobe.layer0') === 'projection' ? 'projection' : 'encoder-input';
  const outDim = outputs[0]?.shape[2];
  return {
    file,
    bytes: statSync(file).size,
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    opset: defaultOpset(model),
    nodes: graph.node?.length ?? 0,
    functions: model.functions?.length ?? 0,
    inputs: (graph.input ?? []).filter((v) => !inits.has(v.name)).map(describe),
    outputs,
    parameters: countParameters(graph),
    weightTypes: weightTypes(graph),
    externalData: externalDataFiles(graph),
    layers:
      found && found.layers.length > 0
        ? {
            count: found.layers.length + 1,
            dim: found.dim ?? (found.method === 'layer-outputs' && typeof outDim === 'number' ? outDim : undefined),
            norm: found.norm,
            method: found.method,
            layer0:
              found.method === 'layer-outputs' ? [fixedLayer0] : found.projection ? ['encoder-input', 'projection'] : ['encoder-input'],
            tensors: { projection: found.projection, encoderInput: found.encoderInput, last: found.layers[found.layers.length - 1] },
          }
        : undefined,
  };
}

/**
 * Why a base-size export counts fewer parameters than the paper's Table II: the paper counts whole
 * checkpoints, pre-training heads included (HuBERT's final projection and label embeddings add
 * 0.33 M); an encoder export holds only the encoder (torchaudio's hubert_base(): 94,370,944).
 */
export const BASE_PARAMS_NOTE =
  "the paper's Table II counts whole checkpoints with their pre-training heads (HuBERT/AVES 94.68 M, " +
  'wav2vec 2.0 95.04 M, WavLM 94.38 M); an encoder export holds the encoder only (HuBERT-base 94.37 M)';

/** Human-readable lines for `bioprobe models inspect`. */
export function formatInspection(r: Inspection): string[] {
  const shape = (t: TensorDesc) => `${t.name}: ${t.type} [${t.shape.join(', ')}]`;
  const lines = [
    `file        ${r.file} (${(r.bytes / 2 ** 20).toFixed(1)} MiB${r.externalData.length ? ` + external data ${r.externalData.join(', ')}` : ''})`,
    `producer    ${r.producer || 'unknown'}, opset ${r.opset}, ${r.nodes} nodes${r.functions ? `, ${r.functions} local functions (inlined for tapping)` : ''}`,
    `inputs      ${r.inputs.map(shape).join('; ')}`,
    `outputs     ${r.outputs.map(shape).join('; ')}`,
    `parameters  ${r.parameters.toLocaleString('en-US')} (${(r.parameters / 1e6).toFixed(1)} M, weights ${r.weightTypes.join('/') || 'none'})`,
  ];
  if (r.layers) {
    lines.push(
      `layers      ${r.layers.count} (layer 0 + ${r.layers.count - 1} transformer layers), width ${r.layers.dim ?? 'unknown'}, ${r.layers.norm}, found by ${r.layers.method}`,
    );
    lines.push(`layer 0     ${r.layers.layer0.join(' | ')} (encoder-input = HF hidden_states[0]; projection = AVES)`);
    if (r.layers.count === 13 && r.layers.dim === 768) lines.push(`note        ${BASE_PARAMS_NOTE}`);
  } else {
    lines.push('layers      none found: not a wav2vec2-family encoder bioprobe recognises');
  }
  return lines;
}

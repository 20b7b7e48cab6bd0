/**
 * Tapping: rewrite a wav2vec2-family ONNX graph so every layer's hidden states are graph outputs
 * `layer_00` ... `layer_L` ([batch, frames, dim] each), then check the result by running it once.
 *
 * Phases: hash the source -> cache hit? -> load, inline local functions, find layers by structure (detect.ts) -> splice
 * Identity taps and new outputs into the file's bytes (old outputs dropped, so CTC heads are pruned)
 * -> link external data -> run a 1 s dummy clip and verify count and shapes -> write tap.json.
 * Tapped files live in `<cacheDir>/models/tapped/<sha256[:16]>-<layer0>-v<N>/`.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { externalDataFiles, linkExternalData } from '../onnx/externalData.js';
import { inlineLocalFunctions } from '../onnx/inline.js';
import { loadModel, defaultOpset, type GraphProto } from '../onnx/proto.js';
import { floatOutput, spliceGraph } from '../onnx/splice.js';
import { countParameters, weightTypes } from '../onnx/params.js';
import { ModelError } from '../util/errors.js';
import { defaultCacheDir, sha256Memo } from '../util/cache.js';
import { memoSha256File } from '../util/hash.js';
import { findLayers, LAYER0_TAPS, type Layer0Tap, type LayerTensors } from './detect.js';
import { checkInputs, graphInputs, type GraphInput } from './feeds.js';
import { verifyTapped } from './verify.js';
import { writeChunksAtomic, writeJsonAtomic } from '../util/atomic.js';

/** Bumped whenever the tapped file's layout or record changes, so old cache entries are not reused (2: parameters recorded). */
export const TAP_VERSION = 2;

export interface TapOptions {
  /** Which tensor is layer 0 (default 'encoder-input', HF's hidden_states[0]; AVES uses 'projection'). */
  layer0?: Layer0Tap;
  /** Cache root (default `$BIOPROBE_CACHE` or ~/.cache/bioprobe). */
  cacheDir?: string;
  /** Fail unless the model has exactly this many layers including layer 0 (13 for the zoo). */
  expectLayers?: number;
}

/**
 * A graph whose outputs are every layer, and what is known about it (stored as tap.json next to a tapped
 * file, build.json next to a graph built from a checkpoint by models/build).
 */
export interface TappedModel {
  format: 'bioprobe.tapped/1' | 'bioprobe.built/1';
  /** The file or folder it was made from (an ONNX file, or a checkpoint). */
  source: string;
  /** sha256 of the source file (of a checkpoint: over its files, models/build/fingerprint.ts). */
  sha256: string;
  /** The tapped ONNX file. */
  path: string;
  layer0: Layer0Tap;
  /** Number of layers including layer 0. */
  layers: number;
  dim: number;
  outputs: string[];
  inputs: GraphInput[];
  /** The source tensors tapped, layer 0 first. */
  tensors: string[];
  norm: LayerTensors['norm'];
  method: LayerTensors['method'] | 'built';
  opset: number;
  /** Parameter count: the floating-point weights of the source graph, or of a checkpoint every tensor it holds. */
  parameters?: number;
}

export function layerName(i: number): string {
  return `layer_${String(i).padStart(2, '0')}`;
}

/** The tensors to tap for a layer-0 choice, or a ModelError when that tap is not available. */
export function tapTensors(found: LayerTensors, layer0: Layer0Tap, file: string): string[] {
  if (layer0 === 'projection' && !found.projection) {
    throw new ModelError(
      'no-projection-tap',
      'layer 0 "projection" is not available: the feature projection ' +
        `was not found (${found.method === 'hidden-states-outputs' ? 'only hidden_states outputs recognised' : 'no positional convolution recognised'})`,
      { file, hint: 'use layer0 "encoder-input"' },
    );
  }
  return [layer0 === 'projection' ? found.projection! : found.encoderInput, ...found.layers];
}

/** Tap `source` (cached by its sha256 and the options); verified by one run before it is cached. */
export async function tapModel(source: string, opts: TapOptions = {}): Promise<TappedModel> {
  const layer0 = opts.layer0 ?? 'encoder-input';
  if (!LAYER0_TAPS.includes(layer0))
    throw new ModelError('bad-layer0', `unknown layer-0 tap "${layer0}"`, { hint: LAYER0_TAPS.join(' or ') });
  if (!existsSync(source)) throw new ModelError('model-missing', 'model file not found', { file: source });
  const cacheDir = opts.cacheDir ?? defaultCacheDir(process.env);
  const sha256 = await memoSha256File(source, sha256Memo(cacheDir));
  const dir = join(cacheDir, 'models', 'tapped', `${sha256.slice(0, 16)}-${layer0}-v${TAP_VERSION}`);
  const infoPath = join(dir, 'tap.json');
  if (existsSync(infoPath)) {
    const info = JSON.parse(readFileSync(infoPath, 'utf8')) as TappedModel;
    if (info.sha256 === sha256 && existsSync(info.path)) return checkCount(info, opts.expectLayers);
  }

  const { bytes, model } = loadModel(source);
  const inlined = inlineLocalFunctions(model);
  const graph = inlined ? { ...model.graph!, node: inlined } : model.graph!;
  const inputs = graphInputs(graph);
  checkInputs(inputs, source);
  const meta = new Map((model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? '']));
  const layout = meta.get('bioprobe.layout');
  const found = findLayers(graph, layout === 'pre-ln' || layout === 'post-ln' ? layout : undefined);
  if (!found || found.layers.length === 0) {
    throw new ModelError(
      'no-layers',
      'no wav2vec2-family transformer layers found in the graph (looked for residual ' +
        'Add -> LayerNorm blocks with attention and feed-forward branches, and for hidden_states.N outputs)',
      {
        file: source,
        hint: 'bioprobe taps HuBERT / wav2vec 2.0 / WavLM / AVES encoders exported to ONNX',
      },
    );
  }
  if (found.method === 'layer-outputs')
    return recordLayerOutputs(
      source,
      sha256,
      dir,
      found,
      inputs,
      layer0,
      meta.get('bioprobe.layer0'),
      graph,
      defaultOpset(model),
      opts.expectLayers,
    );
  const tensors = tapTensors(found, layer0, source);
  const names = tensors.map((_, i) => layerName(i));
  const existing = new Set((graph.node ?? []).flatMap((n) => n.output ?? []));
  const clash = names.find((n) => existing.has(n));
  if (clash) throw new ModelError('tap-name-clash', `the graph already has a tensor named ${clash}`, { file: source });

  const allFloat32 = weightTypes(graph).every((t) => t === 'float32');
  const chunks = spliceGraph(bytes, {
    replaceNodes: inlined,
    nodes: tensors.map((t, i) => ({ opType: 'Identity', name: `bioprobe_tap_${names[i]}`, input: [t], output: [names[i]] })),
    // fp16 or mixed files: leave the outputs' type to onnxruntime's inference (embed converts to float32)
    outputs: names.map((n) => (allFloat32 ? floatOutput(n, found.dim) : { name: n })),
  });
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'model.onnx');
  writeChunksAtomic(path, chunks);
  linkExternalData(source, externalDataFiles(graph), dir);

  let dim: number;
  try {
    dim = await verifyTapped(path, inputs, names, found.dim, source);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const info = tapRecord({
    source: resolve(source),
    sha256,
    path,
    layer0,
    dim,
    outputs: names,
    inputs,
    tensors,
    found,
    opset: defaultOpset(model),
    parameters: countParameters(graph),
  });
  writeJsonAtomic(infoPath, info, 1);
  return checkCount(info, opts.expectLayers);
}

/** The tap.json record of a graph whose outputs are every layer: its layer count is its outputs', its norm and method what detection found. */
function tapRecord(r: Omit<TappedModel, 'format' | 'layers' | 'norm' | 'method'> & { found: LayerTensors }): TappedModel {
  const { found, ...rest } = r;
  return { format: 'bioprobe.tapped/1', ...rest, layers: r.outputs.length, norm: found.norm, method: found.method };
}

/**
 * A graph that already outputs layer_00..layer_L (built from a checkpoint, or tapped before) is used as
 * it is: verified once and recorded. Its layer 0 is fixed; the file's metadata says which tap it is.
 */
async function recordLayerOutputs(
  source: string,
  sha256: string,
  dir: string,
  found: LayerTensors,
  inputs: GraphInput[],
  layer0: Layer0Tap,
  fixed: string | undefined,
  graph: GraphProto,
  opset: number,
  expectLayers: number | undefined,
): Promise<TappedModel> {
  if (fixed && fixed !== layer0) {
    throw new ModelError(
      'layer0-fixed',
      `this graph already outputs every layer, with layer_00 = the "${fixed}" tap; it cannot give "${layer0}"`,
      {
        file: source,
        hint: `use layer0 ${fixed}, or build it again with bioprobe models import <checkpoint> --layer0 ${layer0}`,
      },
    );
  }
  const names = [found.encoderInput, ...found.layers];
  const path = resolve(source);
  const dim = await verifyTapped(path, inputs, names, undefined, source);
  const info = tapRecord({
    source: path,
    sha256,
    path,
    layer0,
    dim,
    outputs: names,
    inputs,
    tensors: names,
    found,
    opset,
    parameters: countParameters(graph),
  });
  mkdirSync(dir, { recursive: true });
  writeJsonAtomic(join(dir, 'tap.json'), info, 1);
  return checkCount(info, expectLayers);
}

function checkCount(info: TappedModel, expect: number | undefined): TappedModel {
  if (expect !== undefined && info.layers !== expect) {
    throw new ModelError(
      'layer-count',
      `found ${info.layers} layers (layer 0 + ${info.layers - 1} transformer layers), expected ${expect}`,
      {
        file: info.source,
      },
    );
  }
  return info;
}

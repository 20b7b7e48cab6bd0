/**
 * The model as the features stage uses it: a serialisable spec (what to open, with which threads and
 * device) and an adapter from the models stage's LayerModel (`embed()` -> every layer's frames) to the
 * pipeline's Forward.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Layer0Tap } from '../models/detect.js';
import type { LayerModel } from '../models/layerModel.js';
import type { Device } from '../runtime/device.js';
import { pullModel } from '../models/pull.js';
import { zoo } from '../models/zoo.js';
import { ModelError } from '../util/errors.js';
import type { FeatureModelInfo } from './manifest.js';
import type { Forward } from './pipeline.js';

/** Everything needed to open the model (in this thread or in a worker). */
export interface ModelSpec {
  /** The ONNX file to tap and run. */
  file: string;
  /** Name recorded in the manifest (zoo id, or the file name). */
  id: string;
  layer0: Layer0Tap;
  cacheDir?: string;
  expectLayers?: number;
  threads?: number;
  device?: Device;
}

/** A LayerModel seen as the pipeline's Forward. */
export function forwardOf(model: LayerModel): Forward {
  return {
    layers: model.layers,
    width: model.dim,
    async run(samples) {
      const s = await model.embed(samples);
      return s.layers.map((data) => ({ data, frames: s.frames }));
    },
  };
}

/** A model argument resolved to what can be opened and what the manifest records about it. */
export interface ResolvedModel {
  spec: ModelSpec;
  /** Manifest's modelInfo before opening (sha256, layers and width are filled from the tapped model). */
  info: FeatureModelInfo;
  /** Longest chunk the model should see (zoo entries may set it; SPEC: 300,000 for HuBERT). */
  maxChunk?: number;
  ortVersion: string;
}

export interface ResolveOptions {
  layer0?: Layer0Tap;
  cacheDir?: string;
  threads?: number;
  device?: Device;
}

/** SPEC.md step 6: the paper's code cut long Watkins clips at 300,000 samples for HuBERT (2,000,000 otherwise; other datasets not at all, extract.ts). */
const ZOO_MAX_CHUNK: Record<string, number> = { 'hubert-base': 300_000 };

/**
 * Resolve `--model`: a zoo id (its ONNX export pulled or found in the caches, with the entry's layer-0
 * tap and expected layer count), else an ONNX file.
 */
export async function resolveModel(model: string, opts: ResolveOptions = {}): Promise<ResolvedModel> {
  const session = { cacheDir: opts.cacheDir, threads: opts.threads, device: opts.device };
  if (zoo.has(model)) {
    const entry = zoo.get(model);
    const pulled = await pullModel(model, { cacheDir: opts.cacheDir });
    const layer0 = opts.layer0 ?? entry.layer0;
    return {
      spec: { file: pulled.path, id: entry.id, layer0, expectLayers: entry.layers, ...session },
      info: {
        id: entry.id, file: pulled.path, sha256: pulled.sha256, family: entry.family, params: entry.params, layers: entry.layers,
        width: entry.dim, layer0, pretraining: entry.corpus, type: entry.type, randomInit: false, title: entry.title,
      },
      maxChunk: ZOO_MAX_CHUNK[entry.id],
      ortVersion: ortVersion(),
    };
  }
  const file = resolve(model);
  if (!existsSync(file)) {
    throw new ModelError('model-missing', `model "${model}" is neither a zoo id nor an existing file`, {
      hint: `give an .onnx file or one of: ${zoo.list().map((e) => e.id).join(', ')}`,
    });
  }
  const layer0 = opts.layer0 ?? 'encoder-input';
  return {
    spec: { file, id: basename(file), layer0, ...session },
    info: { id: basename(file), file, sha256: '', layers: 0, width: 0, layer0 },
    ortVersion: ortVersion(),
  };
}

/** onnxruntime-node's version (recorded in manifests). */
export function ortVersion(): string {
  return ort.env.versions.node ?? ort.env.versions.common ?? 'unknown';
}

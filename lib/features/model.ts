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
import type { Device } from '../models/session.js';
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

/** Resolve `--model`: an ONNX file (a zoo id once the zoo exists). */
export async function resolveModel(model: string, opts: ResolveOptions = {}): Promise<ResolvedModel> {
  const file = resolve(model);
  if (!existsSync(file)) {
    throw new ModelError('model-missing', `model "${model}" is neither a zoo id nor an existing file`, { hint: 'give a path to an .onnx file' });
  }
  const layer0 = opts.layer0 ?? 'encoder-input';
  return {
    spec: { file, id: basename(file), layer0, cacheDir: opts.cacheDir, threads: opts.threads, device: opts.device },
    info: { id: basename(file), file, sha256: '', layers: 0, width: 0, layer0 },
    ortVersion: ortVersion(),
  };
}

/** onnxruntime-node's version (recorded in manifests). */
export function ortVersion(): string {
  return ort.env.versions.node ?? ort.env.versions.common ?? 'unknown';
}

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
import { BUILD_VERSION } from '../models/build/build.js';
import { fingerprintPath } from '../models/build/fingerprint.js';
import { inspectCheckpoint } from '../models/build/inspect.js';
import { pullCheckpoint, REPO_ID } from '../models/checkpointPull.js';
import { isCheckpointPath } from '../models/source.js';
import { zoo } from '../models/zoo.js';
import { defaultCacheDir } from '../util/cache.js';
import { ModelError } from '../util/errors.js';
import type { FeatureModelInfo } from './manifest.js';
import type { Forward } from './pipeline.js';

/** Everything needed to open the model (in this thread or in a worker). */
export interface ModelSpec {
  /** The ONNX file to tap, or the checkpoint (folder or weights file) to build, and run. */
  file: string;
  /** Name recorded in the manifest (zoo id, or the file name). */
  id: string;
  layer0: Layer0Tap;
  cacheDir?: string;
  expectLayers?: number;
  threads?: number;
  device?: Device;
  /** Most equal-length clips per forward pass (batching.ts; default 1: one clip per pass). */
  batch?: number;
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
  /** Manifest's modelInfo before opening (sha256, layers, width and a file's parameters are filled from the opened model). */
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

/** A checkpoint resolved: its identity (fingerprint of its files) and exact counts, read from headers only. */
async function fromCheckpoint(
  path: string,
  id: string,
  layer0: Layer0Tap,
  cacheDir: string,
  session: Partial<ModelSpec>,
  extra: Partial<FeatureModelInfo> = {},
  expectLayers?: number,
): Promise<ResolvedModel> {
  const ins = inspectCheckpoint(path);
  const fp = await fingerprintPath(path, cacheDir);
  return {
    spec: { file: path, id, layer0, expectLayers, ...session },
    info: {
      id,
      file: path,
      sha256: fp.sha256,
      family: ins.arch.family,
      params: ins.parameters.total,
      encoderParams: ins.parameters.encoder,
      layers: ins.layers,
      width: ins.dim,
      layer0,
      format: ins.format,
      builder: BUILD_VERSION,
      randomInit: false,
      ...extra,
    },
    ortVersion: ortVersion(),
  };
}

/**
 * Resolve `--model`: a zoo id (its original checkpoint pulled or found in the caches, with the entry's
 * layer-0 tap and expected layer count), an ONNX file, a checkpoint (folder, .safetensors, .bin, .pt, a
 * shard index), or a Hugging Face repository id (org/name, pulled like a zoo model).
 */
export async function resolveModel(model: string, opts: ResolveOptions = {}): Promise<ResolvedModel> {
  const session = { cacheDir: opts.cacheDir, threads: opts.threads, device: opts.device };
  const cacheDir = opts.cacheDir ?? defaultCacheDir(process.env);
  if (zoo.has(model)) {
    const entry = zoo.get(model);
    const pulled = await pullCheckpoint(model, { cacheDir });
    const r = await fromCheckpoint(
      pulled.path,
      entry.id,
      opts.layer0 ?? entry.layer0,
      cacheDir,
      session,
      { pretraining: entry.corpus, type: entry.type, family: entry.family, title: entry.title },
      entry.layers,
    );
    return { ...r, maxChunk: ZOO_MAX_CHUNK[entry.id] };
  }
  const file = resolve(model);
  if (existsSync(file)) {
    const layer0 = opts.layer0 ?? 'encoder-input';
    if (isCheckpointPath(file)) return fromCheckpoint(file, basename(file), layer0, cacheDir, session);
    return {
      spec: { file, id: basename(file), layer0, ...session },
      info: { id: basename(file), file, sha256: '', layers: 0, width: 0, layer0, format: 'onnx' },
      ortVersion: ortVersion(),
    };
  }
  if (REPO_ID.test(model) && !/\.(onnx|safetensors|bin|pt|pth|ckpt|json)$/i.test(model)) {
    const pulled = await pullCheckpoint(model, { cacheDir });
    return fromCheckpoint(pulled.path, model, opts.layer0 ?? 'encoder-input', cacheDir, session);
  }
  throw new ModelError(
    'model-missing',
    `model "${model}" is neither a zoo id nor an existing file or checkpoint folder, nor a Hugging Face repository id (org/name)`,
    {
      hint: `give an .onnx file, a checkpoint (folder, .safetensors, .bin, .pt), org/name, or one of: ${zoo
        .list()
        .map((e) => e.id)
        .join(', ')}`,
    },
  );
}

/** onnxruntime-node's version (recorded in manifests). */
export function ortVersion(): string {
  return ort.env.versions.node ?? ort.env.versions.common ?? 'unknown';
}

/**
 * Building: a checkpoint (any format lib/checkpoint reads) -> one ONNX graph whose outputs are every
 * layer, a drop-in for a tapped graph (same `layer_XX` outputs, same record, same verification run).
 *
 * Phases: open the checkpoint (headers and config only) -> fingerprint its files (sha256, memoised) ->
 * cache hit? -> canonical weights (checked against the architecture) -> write the graph (encoder.ts) ->
 * run a 1 s dummy clip and verify every layer's shape -> write build.json.
 * Built files live in `<cacheDir>/models/built/<sha256[:16]>-<layer0>-v<BUILD_VERSION>/`, keyed by the
 * checkpoint's fingerprint and the builder version, as tapped files are keyed by their source's sha256.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Family } from '../../checkpoint/arch.js';
import { openCheckpoint, type CheckpointFormat } from '../../checkpoint/checkpoint.js';
import type { ParameterCounts } from '../../checkpoint/canonical.js';
import { writeChunksAtomic, writeFileAtomic, writeJsonAtomic } from '../../util/atomic.js';
import { defaultCacheDir, sha256Memo } from '../../util/cache.js';
import { ModelError } from '../../util/errors.js';
import { VERSION } from '../../util/version.js';
import { LAYER0_TAPS, type Layer0Tap } from '../detect.js';
import type { GraphInput } from '../feeds.js';
import type { TappedModel } from '../tap.js';
import { verifyTapped } from '../verify.js';
import { FUSED, type Fusion } from './emit.js';
import { encoderGraph, INPUT_NAME } from './encoder.js';
import { fingerprint, type CheckpointFile } from './fingerprint.js';

/** Bumped whenever the built graph changes (ops, fusion, layout), so old cache entries are not reused. */
export const BUILD_VERSION = 2;

/** Weights beyond this many bytes go to an external data file (one protobuf cannot exceed 2 GB). */
const EXTERNAL_DATA_BYTES = 1.5e9;
const DATA_FILE = 'model.onnx.data';

export interface BuildOptions {
  /** Which tensor is layer_00 (default 'encoder-input', HF hidden_states[0]; AVES uses 'projection'). */
  layer0?: Layer0Tap;
  /** Cache root (default `$BIOPROBE_CACHE` or ~/.cache/bioprobe). */
  cacheDir?: string;
  /** Fail unless the model has exactly this many layers including layer 0. */
  expectLayers?: number;
  /** A config file to use instead of the one beside the weights. */
  config?: string;
  /** Family of a torchaudio checkpoint whose file name does not say (its config does not). */
  family?: Family;
  /** onnxruntime contrib ops to use (default: all the builder checks, emit.ts FUSED); PLAIN for parity checks. */
  fusion?: Fusion;
  /** Weights in `model.onnx.data` beside the graph (default: only when they exceed 1.5 GB). */
  externalData?: boolean;
}

/** What a built graph was made from (build.json). */
export interface BuiltModel extends TappedModel {
  format: 'bioprobe.built/1';
  method: 'built';
  checkpoint: {
    format: CheckpointFormat;
    family: Family;
    files: Omit<CheckpointFile, 'path'>[];
    parameters: ParameterCounts;
  };
  builder: { version: number; bioprobe: string; fusion: Fusion };
}

const INPUTS: GraphInput[] = [{ name: INPUT_NAME, elemType: 1, rank: 2 }];

function sameFusion(a: Fusion, b: Fusion): boolean {
  return a.attention === b.attention && a.skipLayerNorm === b.skipLayerNorm && a.gelu === b.gelu;
}

/** Build (or reuse the cached build of) the graph of the checkpoint at `source` (a folder or a weights file). */
export async function buildModel(source: string, opts: BuildOptions = {}): Promise<BuiltModel> {
  const layer0 = opts.layer0 ?? 'encoder-input';
  if (!LAYER0_TAPS.includes(layer0))
    throw new ModelError('bad-layer0', `unknown layer-0 tap "${layer0}"`, { hint: LAYER0_TAPS.join(' or ') });
  const fusion = opts.fusion ?? FUSED;
  const cacheDir = opts.cacheDir ?? defaultCacheDir(process.env);
  const ckpt = openCheckpoint(source, { config: opts.config, family: opts.family });
  try {
    const fp = await fingerprint(ckpt, sha256Memo(cacheDir));
    const variant =
      (sameFusion(fusion, FUSED)
        ? ''
        : `-${['attention', 'skipLayerNorm', 'gelu'].filter((k) => fusion[k as keyof Fusion]).join('+') || 'plain'}`) +
      (opts.externalData ? '-external' : '');
    const dir = join(cacheDir, 'models', 'built', `${fp.sha256.slice(0, 16)}-${layer0}-v${BUILD_VERSION}${variant}`);
    const infoPath = join(dir, 'build.json');
    if (existsSync(infoPath)) {
      const info = JSON.parse(readFileSync(infoPath, 'utf8')) as BuiltModel;
      if (info.sha256 === fp.sha256 && existsSync(info.path)) return checkCount(info, opts.expectLayers);
    }
    const weights = ckpt.canonical();
    const arch = ckpt.arch;
    const external = opts.externalData ?? weights.parameters.encoder * 4 > EXTERNAL_DATA_BYTES;
    const graph = encoderGraph(weights, ckpt.file, {
      layer0,
      fusion,
      externalData: external ? DATA_FILE : undefined,
      metadata: {
        'bioprobe.layer0': layer0,
        'bioprobe.layout': arch.layout,
        'bioprobe.family': arch.family,
        'bioprobe.builder': String(BUILD_VERSION),
        'bioprobe.source.sha256': fp.sha256,
        'bioprobe.source.format': ckpt.format,
      },
    });
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'model.onnx');
    if (graph.data) writeChunksAtomic(join(dir, DATA_FILE), graph.data);
    writeFileAtomic(path, graph.bytes);
    let dim: number;
    try {
      dim = await verifyTapped(path, INPUTS, graph.outputs, arch.hiddenSize, ckpt.file);
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    const info: BuiltModel = {
      format: 'bioprobe.built/1',
      source: resolve(source),
      sha256: fp.sha256,
      path,
      layer0,
      layers: graph.outputs.length,
      dim,
      outputs: graph.outputs,
      inputs: INPUTS,
      tensors: graph.tensors,
      norm: arch.layout,
      method: 'built',
      opset: 17,
      parameters: weights.parameters.total,
      checkpoint: {
        format: ckpt.format,
        family: arch.family,
        files: fp.files.map(({ name, bytes, sha256 }) => ({ name, bytes, sha256 })),
        parameters: weights.parameters,
      },
      builder: { version: BUILD_VERSION, bioprobe: VERSION, fusion },
    };
    writeJsonAtomic(infoPath, info, 1);
    return checkCount(info, opts.expectLayers);
  } finally {
    ckpt.close();
  }
}

function checkCount(info: BuiltModel, expect: number | undefined): BuiltModel {
  if (expect !== undefined && info.layers !== expect) {
    throw new ModelError(
      'layer-count',
      `the checkpoint has ${info.layers} layers (layer 0 + ${info.layers - 1} transformer layers), expected ${expect}`,
      { file: info.source },
    );
  }
  return info;
}

/**
 * A model source is an ONNX file (tapped: models/tap.ts) or a PyTorch checkpoint (built: models/build/):
 * a Hugging Face folder or weights file (.safetensors, .bin, a shard index), an AVES/torchaudio `.pt`
 * (+ its JSON), a fairseq `.pt`. `layerGraph()` turns either into the same record: a graph whose
 * outputs are every layer, verified, cached.
 */
import { existsSync, statSync } from 'node:fs';
import type { Family } from '../checkpoint/arch.js';
import { buildModel } from './build/build.js';
import { tapModel, type TapOptions, type TappedModel } from './tap.js';

/** File endings of checkpoint weights (everything but `.onnx` that openCheckpoint reads). */
const CHECKPOINT_FILE = /\.(safetensors|bin|pt|pth|ckpt)$|\.index\.json$/i;

/** Whether `path` names a checkpoint (a folder, or a weights file) rather than an ONNX file. */
export function isCheckpointPath(path: string): boolean {
  if (existsSync(path) && statSync(path).isDirectory()) return true;
  return CHECKPOINT_FILE.test(path);
}

export interface LayerGraphOptions extends TapOptions {
  /** Checkpoints: a config file instead of the one beside the weights. */
  config?: string;
  /** Checkpoints: the family of a torchaudio checkpoint whose file name does not say. */
  family?: Family;
}

/** The every-layer graph of an ONNX file (tapped) or a checkpoint (built), cached. */
export async function layerGraph(source: string, opts: LayerGraphOptions = {}): Promise<TappedModel> {
  if (isCheckpointPath(source)) return buildModel(source, opts);
  return tapModel(source, opts);
}

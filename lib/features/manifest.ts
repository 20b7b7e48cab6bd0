/**
 * `manifest.json` of a features folder (INTERFACE.md): the contract's fields (`format, model, dataset,
 * layers, dim, count`) plus what reproducing the store needs: the model file's identity, the layer-0
 * tap, preprocessing, versions, the run's summary and its sanity checks.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BioprobeError } from '../util/errors.js';
import type { Preprocessing, Shard, StoreIdentity } from './identity.js';
import type { SanityReport } from './sanity.js';

export const MANIFEST_NAME = 'manifest.json';

/** What the features stage knows about the model that made a store. */
export interface FeatureModelInfo {
  /** Zoo id, or the file name for a user's file. */
  id: string;
  /** The ONNX file or checkpoint that was run (as given; the tapped or built graph is derived from it). */
  file: string;
  /** sha256 of the ONNX file; of a checkpoint, over its files (models/build/fingerprint.ts). */
  sha256: string;
  family?: string;
  /** Parameters: an ONNX file's floating-point weights; a checkpoint's every tensor (Table II counts whole checkpoints). */
  params?: number;
  /** A checkpoint's encoder parameters (what computes the hidden states). */
  encoderParams?: number;
  /** 'onnx', or the checkpoint format (hf-safetensors, hf-bin, torchaudio, fairseq...). */
  format?: string;
  /** Version of the graph builder (checkpoints). */
  builder?: number;
  layers: number;
  width: number;
  /** Which tap layer 0 is (SPEC.md "Layers"). */
  layer0: string;
  pretraining?: string;
  type?: string;
  randomInit?: boolean;
  /** The zoo entry's title (zoo models only: a model extract took by its id). */
  title?: string;
  /** Display name in reports: the experiment's name for the model (experiment/defaultStages.ts), a baseline's own. */
  name?: string;
  /** Free text from the experiment file (what this model is). */
  description?: string;
}

export interface FeaturesSummary {
  ok: number;
  skipped: number;
  /** Skipped clips counted by reason code. */
  reasons: Record<string, number>;
}

export interface FeaturesManifest {
  format: string;
  /** Model id (zoo id or file name). */
  model: string;
  /** Dataset spec as given. */
  dataset: string;
  datasetName: string;
  layers: number;
  dim: number;
  count: number;
  layer0: string;
  modelInfo: FeatureModelInfo;
  preprocessing: Preprocessing;
  device: string;
  shard: Shard | null;
  identity: StoreIdentity;
  identityHash: string;
  versions: { bioprobe: string; onnxruntime: string; node: string };
  summary: FeaturesSummary;
  sanity: SanityReport;
  /** How this store was computed (not part of its identity). */
  run: Record<string, unknown>;
  created: string;
}

/** Read a store's manifest; undefined when the folder has none (not a finished store). */
export function readManifest(dir: string): FeaturesManifest | undefined {
  const path = join(dir, MANIFEST_NAME);
  if (!existsSync(path)) return undefined;
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as FeaturesManifest;
    if (typeof m.format !== 'string' || !m.format.startsWith('bioprobe.features/')) throw new Error(`format is ${String(m.format)}`);
    return m;
  } catch (err) {
    throw new BioprobeError('features', 'manifest', `unreadable features manifest: ${(err as Error).message}`, { file: path });
  }
}

/** `layer_XX.npy` (two digits, as INTERFACE.md names them). */
export function layerFileName(layer: number): string {
  return `layer_${String(layer).padStart(2, '0')}.npy`;
}

/** Count skipped clips by the code before ':' in their status. */
export function summarise(statuses: Iterable<string>): FeaturesSummary {
  const s: FeaturesSummary = { ok: 0, skipped: 0, reasons: {} };
  for (const st of statuses) {
    if (st === 'ok') {
      s.ok++;
      continue;
    }
    s.skipped++;
    const code = st.split(':')[0].trim() || 'error';
    s.reasons[code] = (s.reasons[code] ?? 0) + 1;
  }
  return s;
}

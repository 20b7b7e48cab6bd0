/**
 * A features directory (INTERFACE.md) as the probe reads it: only the minimal manifest fields are
 * required (format, model, dataset, layers, dim, count), so directories written by other tools work.
 * Clips whose `status` is not `ok` are excluded from probing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readClassesFile } from '../datasets/classes.js';
import { readClipsCsv, type ClipRow } from '../features/clipsCsv.js';
import type { FeaturesManifest } from '../features/manifest.js';
import type { AsRead } from '../util/asRead.js';
import { BioprobeError } from '../util/errors.js';
import { readNpyHeader } from '../util/npy.js';

export interface FeatureSet {
  dir: string;
  /** The manifest as written (copied verbatim into results); another tool's may hold only INTERFACE.md's fields. */
  manifest: AsRead<FeaturesManifest>;
  model: string;
  dataset: string;
  layers: number;
  dim: number;
  count: number;
  /** clips.csv, one row per clip in dataset order. */
  clips: ClipRow[];
  /** The class map in classes.json, when the folder has one (bioprobe extract writes it). */
  classes?: string[];
}

function fail(code: string, message: string, file: string, hint?: string): never {
  throw new BioprobeError('features', code, message, { file, hint });
}

/** The .npy file of layer `l`. */
export function layerPath(fs: FeatureSet, l: number): string {
  return join(fs.dir, `layer_${String(l).padStart(2, '0')}.npy`);
}

/** Open and check a features directory (manifest, clips.csv, each layer file's shape). */
export function openFeatures(dir: string): FeatureSet {
  const mfile = join(dir, 'manifest.json');
  if (!existsSync(mfile))
    fail(
      'no-manifest',
      'not a features directory: manifest.json is missing',
      dir,
      'run `bioprobe extract` first, or point --features at its --out folder',
    );
  let manifest: AsRead<FeaturesManifest>;
  try {
    manifest = JSON.parse(readFileSync(mfile, 'utf8')) as AsRead<FeaturesManifest>;
  } catch (err) {
    fail('bad-manifest', `unreadable manifest.json: ${(err as Error).message}`, mfile);
  }
  const int = (k: string): number => {
    const v = manifest[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
      fail('bad-manifest', `manifest field "${k}" must be a positive integer, got ${JSON.stringify(v)}`, mfile);
    return v;
  };
  const format = manifest.format;
  if (typeof format !== 'string' || !format.startsWith('bioprobe.features/'))
    fail('bad-manifest', `manifest format is ${JSON.stringify(format)}, expected "bioprobe.features/1"`, mfile);
  const layers = int('layers');
  const dim = int('dim');
  const count = int('count');
  const cfile = join(dir, 'clips.csv');
  const clips = readClipsCsv(cfile);
  if (clips.length !== count) fail('clips-count', `clips.csv has ${clips.length} rows but the manifest says count ${count}`, cfile);
  clips.forEach((c, k) => {
    if (c.item.index !== k) fail('clips-order', `row ${k + 1}: index ${c.item.index} where ${k} was expected`, cfile);
  });
  const fs: FeatureSet = {
    dir,
    manifest,
    layers,
    dim,
    count,
    clips,
    classes: readClassesFile(dir),
    model: String(manifest.model ?? 'unknown'),
    dataset: String(manifest.dataset ?? 'unknown'),
  };
  for (let l = 0; l < layers; l++) {
    const f = layerPath(fs, l);
    if (!existsSync(f)) fail('no-layer', `layer file missing (manifest says ${layers} layers)`, f);
    const h = readNpyHeader(f);
    if (h.shape.length !== 2 || h.shape[0] !== count || h.shape[1] !== dim)
      fail('layer-shape', `layer file has shape [${h.shape}], expected [${count}, ${dim}]`, f);
  }
  return fs;
}

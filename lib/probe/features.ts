/**
 * A features directory (INTERFACE.md) as the probe reads it: only the minimal manifest fields are
 * required (format, model, dataset, layers, dim, count), so directories written by other tools work.
 * Clips whose `status` is not `ok` are excluded from probing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readClassesFile } from '../datasets/classes.js';
import { readCsvTable, requireColumns } from '../datasets/csvTable.js';
import { BioprobeError } from '../util/errors.js';
import { readNpyHeader } from '../util/npy.js';

export interface FeatureClip { index: number; path: string; label: string; status: string; start?: number; end?: number }

export interface FeatureSet {
  dir: string;
  /** The manifest as written (copied verbatim into results). */
  manifest: Record<string, unknown>;
  model: string;
  dataset: string;
  layers: number;
  dim: number;
  count: number;
  clips: FeatureClip[];
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
  if (!existsSync(mfile)) fail('no-manifest', 'not a features directory: manifest.json is missing', dir, 'run `bioprobe extract` first, or point --features at its --out folder');
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(readFileSync(mfile, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    fail('bad-manifest', `unreadable manifest.json: ${(err as Error).message}`, mfile);
  }
  const int = (k: string): number => {
    const v = manifest[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) fail('bad-manifest', `manifest field "${k}" must be a positive integer, got ${JSON.stringify(v)}`, mfile);
    return v;
  };
  const format = manifest.format;
  if (typeof format !== 'string' || !format.startsWith('bioprobe.features/')) fail('bad-manifest', `manifest format is ${JSON.stringify(format)}, expected "bioprobe.features/1"`, mfile);
  const layers = int('layers');
  const dim = int('dim');
  const count = int('count');
  const cfile = join(dir, 'clips.csv');
  const table = readCsvTable(cfile);
  requireColumns(table, ['index', 'path', 'label', 'status'], 'clips.csv needs columns index,path,label,start,end,status');
  if (table.rows.length !== count) fail('clips-count', `clips.csv has ${table.rows.length} rows but the manifest says count ${count}`, cfile);
  const clips = table.rows.map((r, k) => {
    if (Number(r.cells.index) !== k) fail('clips-order', `line ${r.line}: index ${r.cells.index} where ${k} was expected`, cfile);
    const num = (c: string | undefined) => (c === undefined || c === '' ? undefined : Number(c));
    return { index: k, path: r.cells.path, label: r.cells.label, status: r.cells.status, start: num(r.cells.start), end: num(r.cells.end) };
  });
  const fs: FeatureSet = {
    dir, manifest, layers, dim, count, clips, classes: readClassesFile(dir),
    model: String(manifest.model ?? 'unknown'), dataset: String(manifest.dataset ?? 'unknown'),
  };
  for (let l = 0; l < layers; l++) {
    const f = layerPath(fs, l);
    if (!existsSync(f)) fail('no-layer', `layer file missing (manifest says ${layers} layers)`, f);
    const h = readNpyHeader(f);
    if (h.shape.length !== 2 || h.shape[0] !== count || h.shape[1] !== dim) fail('layer-shape', `layer file has shape [${h.shape}], expected [${count}, ${dim}]`, f);
  }
  return fs;
}

/**
 * The methods and reproducibility sections, filled in from what the manifests say was run:
 * preprocessing, probe protocol, seeds, split sizes, software versions, model files and hashes.
 */
import { basename, relative, resolve, sep } from 'node:path';
import type { ClipStats } from './clipStats.js';
import { DASH, list, thousands, valueText } from './format.js';
import type { ResultsManifest } from '../results/index.js';
import type { AsRead } from '../util/asRead.js';
import type { Study } from './study.js';

interface KeyValue {
  key: string;
  value: string;
}
interface SplitLine {
  dataset: string;
  train: string;
  val: string;
  test: string;
  total: string;
}
interface ModelFile {
  name: string;
  file: string;
  sha256: string;
  layer0: string;
}

export interface Methods {
  /** True when there is a preprocessing or protocol record to show. */
  settings: boolean;
  preprocessing: KeyValue[];
  protocol: KeyValue[];
  seeds: string;
  splits: SplitLine[];
  versions: KeyValue[];
  modelFiles: ModelFile[];
  /** Class names per dataset in column order (classes.json). */
  classes: { dataset: string; names: string }[];
  /** The folder holding every results directory ('' when none); inputs and commands are relative to it. */
  root: string;
  inputs: { dir: string; format: string; model: string; dataset: string }[];
  commands: string[];
}

/** Merge key -> value records from several manifests; differing values are listed together. */
function merge(records: (object | undefined)[]): KeyValue[] {
  const out = new Map<string, string[]>();
  for (const r of records) {
    if (!r || typeof r !== 'object') continue;
    for (const [k, v] of Object.entries(r)) {
      const vals = out.get(k) ?? [];
      const t = valueText(v);
      // "v20.20.2" and "20.20.2" are the same version
      const same = (a: string) => a.replace(/^v(?=\d)/, '') === t.replace(/^v(?=\d)/, '');
      if (!vals.some(same)) vals.push(t);
      out.set(k, vals);
    }
  }
  return [...out].map(([key, vals]) => ({ key, value: vals.join(' / ') }));
}

/** The deepest folder holding every path (or '' when they share none but the file-system root). */
export function commonFolder(paths: string[]): string {
  if (paths.length === 0) return '';
  let parts = paths[0].split(sep);
  for (const p of paths.slice(1)) {
    const q = p.split(sep);
    let i = 0;
    while (i < parts.length && i < q.length && parts[i] === q[i]) i++;
    parts = parts.slice(0, i);
  }
  const root = parts.join(sep);
  return root === '' || root === sep ? '' : root;
}

/**
 * `results` are the --results arguments as given and `reportOut` the --out folder: the commands
 * section repeats them (relative to the folder that holds every results directory).
 */
export function buildMethods(study: Study, stats: Map<string, ClipStats>, reportOut: string, results: string[] = []): Methods {
  const root = commonFolder(study.dirs.map((d) => resolve(d.dir)));
  const rel = (p: string) => (root ? relative(root, resolve(p)) || '.' : resolve(p));
  const manifests = study.dirs.map((d) => d.manifest).filter((m): m is AsRead<ResultsManifest> => m !== undefined);
  const features = manifests.flatMap((m) => (m.features ? [m.features] : []));
  const modelFiles = study.models
    .filter((m) => m.info && (m.info.file || m.info.sha256 || m.info.layer0))
    .map((m) => ({
      name: m.name,
      file: m.info?.file ? basename(String(m.info.file)) : DASH,
      sha256: m.info?.sha256 ? String(m.info.sha256) : DASH,
      layer0: m.info?.layer0 ? valueText(m.info.layer0) : DASH,
    }));
  const splits = study.datasets
    .filter((d) => stats.get(d.key)?.splitCounts)
    .map((d) => {
      const c = stats.get(d.key)!.splitCounts!;
      const total = Object.values(c).reduce((a, b) => a + b, 0);
      const cell = (k: string) => (c[k] ? `${thousands(c[k])} (${Math.round((100 * c[k]) / total)} %)` : DASH);
      return { dataset: d.name, train: cell('train'), val: cell('val'), test: cell('test'), total: thousands(total) };
    });
  const preprocessing = merge(features.map((f) => f.preprocessing));
  const protocol = merge(manifests.map((m) => m.protocol));
  return {
    settings: preprocessing.length + protocol.length > 0,
    preprocessing,
    protocol,
    seeds: seedsPhrase(study.seeds),
    splits,
    versions: merge([...manifests.map((m) => m.versions), ...features.map((f) => f.versions)]),
    modelFiles,
    classes: study.datasets
      .filter((d) => d.classes && d.classes.length > 0)
      .map((d) => ({ dataset: d.name, names: d.classes!.map((c, i) => `${i}: ${c}`).join('; ') })),
    root,
    inputs: study.dirs.map((d) => ({
      dir: rel(d.dir),
      format: valueText(d.manifest?.format ?? DASH),
      model: valueText(d.manifest?.model ?? DASH),
      dataset: valueText(d.manifest?.dataset ?? DASH),
    })),
    commands: commands(study, root, rel, results.length > 0 ? results : study.dirs.map((d) => d.dir), reportOut),
  };
}

/** The bioprobe commands that regenerate this study (feature folders are placeholders). */
/** The probes' seeds in prose: "seed 7", "3 seeds 1, 2 and 3", or a dash when none were recorded. */
function seedsPhrase(seeds: string[]): string {
  if (seeds.length === 0) return DASH;
  const noun = seeds.length === 1 ? 'seed' : `${seeds.length} seeds`;
  return `${noun} ${list(seeds)}`;
}

function commands(study: Study, root: string, rel: (p: string) => string, results: string[], reportOut: string): string[] {
  const lines: string[] = [];
  const q = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const seeds = study.seeds.length > 1 ? ` --seeds ${study.seeds.length}` : '';
  const first = study.seeds[0];
  const seed = first !== undefined && first !== '12345' && /^\d+$/.test(first) ? ` --seed ${first}` : '';
  if (root) lines.push(`cd ${q(root)}`);
  for (const d of study.datasets) {
    for (const r of d.results) {
      const feat = `features/${r.model.id.replace(/[^\w.-]+/g, '_')}/${d.name.replace(/[^\w.-]+/g, '_')}`;
      // a model extract took by its id (a zoo entry, whose title the manifest records; `kind:name` such as
      // baseline:logmel) is named by its id; other models by the file that was run
      const byId = r.model.info?.title !== undefined || r.model.id.includes(':') || !r.model.info?.file;
      const model = byId ? r.model.id : String(r.model.info!.file);
      lines.push(`bioprobe extract --model ${q(model)} --dataset ${q(d.key)} --out ${q(feat)}`);
      lines.push(`bioprobe probe --features ${q(feat)} --out ${q(rel(r.source.dir))}${seed}${seeds}`);
    }
    if (d.fusion)
      lines.push(`bioprobe fuse --results ${d.results.map((r) => q(rel(r.source.dir))).join(' ')} --out ${q(rel(d.fusion.source.dir))}`);
  }
  lines.push(`bioprobe report --results ${results.map((x) => q(rel(x))).join(' ')} --out ${q(rel(reportOut))}`);
  return lines;
}

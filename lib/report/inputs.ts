/**
 * What the folders given to `bioprobe report` hold: results folders (results.csv: probe, fusion,
 * weighted probe), class-recall folders (manifest kind `class-recall`), label-efficiency folders
 * (manifest kind `label-efficiency`) and layer-similarity files (`cka.json`), each argument itself or
 * up to three levels below it. An argument holding none of these is an error, as before.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { CKA_FILE, CLASS_RECALL_KIND } from '../analysis/index.js';
import { resultsPath } from '../results/index.js';
import { BioprobeError } from '../util/errors.js';

/** manifest.json kind of a label-efficiency folder (INTERFACE.md Extensions, `bioprobe.labels/1`). */
export const LABELS_KIND = 'label-efficiency';

export interface StudyInputs {
  results: string[];
  recall: string[];
  labels: string[];
  cka: string[];
}

/** Expand each argument to the inputs it holds (sorted within each argument, first occurrence kept). */
export function discoverStudyInputs(paths: readonly string[]): StudyInputs {
  const found: StudyInputs = { results: [], recall: [], labels: [], cka: [] };
  for (const p of paths) {
    const abs = resolve(p);
    if (!existsSync(abs)) throw new BioprobeError('results', 'results-missing', 'no such results directory', { file: p });
    const mine: StudyInputs = { results: [], recall: [], labels: [], cka: [] };
    if (statSync(abs).isFile() && basename(abs) === CKA_FILE) mine.cka.push(abs);
    else if (!statSync(abs).isDirectory())
      throw new BioprobeError('results', 'results-not-dir', 'not a directory', { file: p, hint: 'pass the folder that holds results.csv' });
    else walk(abs, 3, mine);
    if (Object.values(mine).every((l) => l.length === 0)) {
      throw new BioprobeError('results', 'results-empty', 'no results.csv in this directory or below it', {
        file: p,
        hint: 'run `bioprobe probe` first',
      });
    }
    for (const k of Object.keys(found) as (keyof StudyInputs)[]) for (const d of mine[k]) if (!found[k].includes(d)) found[k].push(d);
  }
  return found;
}

function manifestKind(dir: string): string | undefined {
  const f = join(dir, 'manifest.json');
  if (!existsSync(f)) return undefined;
  try {
    const kind = (JSON.parse(readFileSync(f, 'utf8')) as { kind?: unknown })?.kind;
    return typeof kind === 'string' ? kind : undefined;
  } catch {
    return undefined; // an unreadable manifest: the folder is judged by its other files
  }
}

function walk(dir: string, depth: number, out: StudyInputs): void {
  const kind = manifestKind(dir);
  if (kind === CLASS_RECALL_KIND) {
    out.recall.push(dir);
    return;
  }
  if (kind === LABELS_KIND) {
    out.labels.push(dir);
    return;
  }
  if (existsSync(resultsPath(dir, 'results'))) {
    out.results.push(dir);
    return;
  }
  if (existsSync(join(dir, CKA_FILE))) out.cka.push(join(dir, CKA_FILE));
  if (depth === 0) return;
  const subs = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  for (const s of subs) walk(join(dir, s), depth - 1, out);
}

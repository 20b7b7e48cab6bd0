/** Finding results folders: each argument is one, or a folder holding them (up to three levels down). */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BioprobeError } from '../util/errors.js';
import { resultsPath } from './layout.js';

/** Expand each argument to the results directories it holds (itself, or those below it, sorted). */
export function discoverResultsDirs(paths: readonly string[]): string[] {
  const found: string[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    if (!existsSync(abs)) throw new BioprobeError('results', 'results-missing', 'no such results directory', { file: p });
    if (!statSync(abs).isDirectory())
      throw new BioprobeError('results', 'results-not-dir', 'not a directory', { file: p, hint: 'pass the folder that holds results.csv' });
    const below = walk(abs, 3);
    if (below.length === 0)
      throw new BioprobeError('results', 'results-empty', 'no results.csv in this directory or below it', {
        file: p,
        hint: 'run `bioprobe probe` first',
      });
    for (const d of below) if (!found.includes(d)) found.push(d);
  }
  return found;
}

function walk(dir: string, depth: number): string[] {
  if (existsSync(resultsPath(dir, 'results'))) return [dir];
  if (depth === 0) return [];
  const subs = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return subs.flatMap((s) => walk(join(dir, s), depth - 1));
}

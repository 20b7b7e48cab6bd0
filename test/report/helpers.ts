/** In-memory results directories for unit tests (no files). */
import type { ResultRow, ResultsDir, ResultsManifest } from '../../lib/report/types.js';

export function row(model: string, dataset: string, layer: string | number, seed: string | number, split: string, uar: number): ResultRow {
  const l = String(layer);
  return { model, dataset, layer: l, layerIndex: /^\d+$/.test(l) ? Number(l) : null, seed: String(seed), split, uar, accuracy: NaN, epochs: 10 };
}

export function memDir(dir: string, rows: ResultRow[], extra: Partial<ResultsDir> & { manifest?: ResultsManifest } = {}): ResultsDir {
  return { dir, rows, predictions: () => undefined, ...extra };
}

import { spawnSync } from 'node:child_process';

/** Run the real binary from sources (the pattern of test/cli.test.ts, copied so its tests do not run twice). */
export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, ...opts.env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Anything in the HTML that would make a browser fetch something or run code. */
export function externalReferences(html: string): string[] {
  const found: string[] = [];
  for (const tag of html.match(/<[^>]*>/g) ?? []) {
    if (/^<(script|iframe|img|link|object|embed|image|use|audio|video|source|base)\b/i.test(tag)) found.push(tag);
    if (/\s(src|href|srcset|xlink:href|action|poster)\s*=/i.test(tag)) found.push(tag);
    if (/\son[a-z]+\s*=/i.test(tag.replace(/"[^"]*"/g, '""'))) found.push(tag);
  }
  for (const m of html.matchAll(/url\(\s*['"]?(?!#)[^)]*\)|@import/gi)) found.push(m[0]);
  if (/https?:|\/\/[a-z0-9.-]+\.[a-z]{2,}\//i.test(html.replace(/&lt;img src=x/g, ''))) found.push('a URL');
  return found;
}

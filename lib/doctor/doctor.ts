/**
 * `bioprobe doctor`: what this machine can do and what is missing, each with its fix. Only onnxruntime
 * (and Node) are required; everything else (CUDA, libsoxr, Chromium, Jupyter, torch) unlocks an optional feature.
 */
import { checkResampler } from './audio.js';
import { checkNode, checkOnnxruntime } from './runtime.js';
import { checkStorage } from './storage.js';
import { checkChromium, checkJupyter, checkTorch } from './tools.js';
import type { Check, DoctorHost } from './types.js';

export interface DoctorOptions {
  host: DoctorHost;
  /** The bioprobe folder (node_modules, dist, reports live there). */
  repo: string;
  /** bioprobe's cache folder. */
  cacheDir: string;
  /** Try a session on the CUDA provider (default true). */
  cuda?: boolean;
}

export async function runDoctor(o: DoctorOptions): Promise<Check[]> {
  const [ort, chromium, jupyter, torch] = await Promise.all([
    checkOnnxruntime(o.host, { cuda: o.cuda ?? true }),
    checkChromium(o.host),
    checkJupyter(o.host, o.repo),
    checkTorch(o.host),
  ]);
  return [checkNode(), ...ort, checkResampler(), chromium, ...jupyter, torch, ...checkStorage(o.host, o.repo, o.cacheDir)];
}

const MARK: Record<Check['status'], string> = { ok: 'ok  ', warn: 'warn', missing: 'MISS' };

/** The printed table: one line per check, its fix indented below it. */
export function formatDoctor(checks: readonly Check[]): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines: string[] = [];
  let area = '';
  for (const c of checks) {
    if (c.area !== area) {
      area = c.area;
      lines.push(`${area}:`);
    }
    lines.push(`  [${MARK[c.status]}] ${c.name.padEnd(width)}  ${c.detail}`);
    if (c.fix && c.status !== 'ok') lines.push(`  ${' '.repeat(6)} ${' '.repeat(width)}  fix: ${c.fix}`);
  }
  const bad = checks.filter((c) => c.status !== 'ok');
  lines.push(
    bad.length === 0
      ? 'everything bioprobe can use is here.'
      : `${bad.length} item(s) missing or limited; bioprobe ${doctorFailed(checks) ? 'cannot run until the MISS items are fixed' : 'runs; the items above only limit optional features'}.`,
  );
  return lines.join('\n');
}

/** True when a required check failed. */
export function doctorFailed(checks: readonly Check[]): boolean {
  return checks.some((c) => c.required && c.status !== 'ok');
}

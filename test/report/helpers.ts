/** In-memory results directories for unit tests (no files). */
import type { ResultRow, ResultsDir } from '../../lib/results/index.js';

/** A results.csv row as the reader gives it; `uar` in percent here (the report's unit), stored as the file's fraction. */
export function row(model: string, dataset: string, layer: string | number, seed: string | number, split: string, uar: number): ResultRow {
  const l = String(layer);
  return {
    model,
    dataset,
    layer: /^\d+$/.test(l) ? Number(l) : l,
    seed: /^\d+$/.test(String(seed)) ? Number(seed) : seed,
    split,
    uar: uar / 100,
    accuracy: NaN,
    epochs: 10,
  };
}

/**
 * An in-memory results directory. A folder of one of the paper's models (PAPER_MODEL_INFO) carries in its
 * manifest what extraction records from the zoo entry and the name the paper's experiment gives; fields
 * given in `extra.manifest.features.modelInfo` win.
 */
export function memDir(dir: string, results: ResultRow[], extra: Partial<ResultsDir> = {}): ResultsDir {
  const ids = new Set(results.map((r) => r.model));
  const id = ids.size === 1 ? [...ids][0] : undefined;
  const paper = id !== undefined ? PAPER_MODEL_INFO[id] : undefined;
  const manifest = paper
    ? {
        ...extra.manifest,
        features: { ...extra.manifest?.features, modelInfo: { id, ...paper, ...extra.manifest?.features?.modelInfo } },
      }
    : extra.manifest;
  return { dir, results, predictions: () => undefined, ...extra, manifest };
}

/**
 * What extraction records about the paper's models (modelInfo from the zoo entry: title, type, family,
 * corpus) plus the paper's display name its experiment gives (experiments/paper.yaml).
 */
export const PAPER_MODEL_INFO: Record<string, { name: string; title: string; type: string; family: string; pretraining: string }> = {
  'aves-bio': {
    name: 'AVES-Bio',
    title: 'AVES bio (HuBERT-base architecture, torchaudio port)',
    type: 'PT',
    family: 'hubert',
    pretraining: 'FSD50K + AudioSet/VGGSound animal sounds (360 h)',
  },
  'hubert-base': {
    name: 'HuBERT',
    title: 'HuBERT base (LibriSpeech 960 h)',
    type: 'PT',
    family: 'hubert',
    pretraining: 'LibriSpeech 960 h',
  },
  'w2v2-base': { name: 'W2V2', title: 'wav2vec 2.0 base', type: 'PT', family: 'wav2vec2', pretraining: 'LibriSpeech 960 h' },
  'w2v2-base-100h': {
    name: 'W2V2-100h',
    title: 'wav2vec 2.0 base, CTC fine-tuned on 100 h',
    type: 'PT+FT',
    family: 'wav2vec2',
    pretraining: 'LibriSpeech 960 h; CTC fine-tuning on train-clean-100',
  },
  'w2v2-base-960h': {
    name: 'W2V2-960h',
    title: 'wav2vec 2.0 base, CTC fine-tuned on 960 h',
    type: 'PT+FT',
    family: 'wav2vec2',
    pretraining: 'LibriSpeech 960 h; CTC fine-tuning on 960 h',
  },
  'wavlm-base': { name: 'WavLM', title: 'WavLM base', type: 'PT', family: 'wavlm', pretraining: 'LibriSpeech 960 h' },
  'wavlm-base-100h': {
    name: 'WavLM-100h',
    title: 'WavLM base, CTC fine-tuned on 100 h',
    type: 'PT+FT',
    family: 'wavlm',
    pretraining: 'LibriSpeech 960 h; CTC fine-tuning on train-clean-100',
  },
};

import { spawnSync } from 'node:child_process';

/** Run the real binary from sources (the pattern of test/cli.test.ts, copied so its tests do not run twice). */
export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
  });
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

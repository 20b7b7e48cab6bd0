/**
 * How datasets and models are named, grouped and ordered in the report. Models are named, typed and
 * grouped from what their features manifest records (modelInfo: the experiment's name, the zoo entry's
 * type, family and pre-training corpus, written at extraction); the report keeps no list of models.
 */
import { basename, extname } from 'node:path';
import type { FeatureModelInfo } from '../features/manifest.js';
import type { AsRead } from '../util/asRead.js';

/** What a features manifest records about its model, as read (other tools' may say less). */
type ModelInfo = AsRead<FeatureModelInfo>;

/** CSV names that say nothing about the data: such a dataset is named after its folder. */
const GENERIC = /^(labels|annotations|metadata|index|data|dataset)$/i;
const DATASET_KINDS: Record<string, string> = { watkins: 'Watkins', imv: 'IMV', abzaliev: 'Abzaliev', synthetic: 'Synthetic' };

/** A display name for a model id the manifest gives no name for: a path's file name without extension, else the id. */
export function modelName(id: string): string {
  if (/[\\/]/.test(id) || id.toLowerCase().endsWith('.onnx')) return basename(id, extname(id));
  return id;
}

/** A short display name for a dataset spec (`imv:/data/imv` -> IMV, `csv:/x/birds.csv` -> birds), or the name the manifest gives. */
export function datasetName(spec: string, given?: unknown): string {
  if (typeof given === 'string' && given.trim() && !GENERIC.test(given.trim())) return given.trim();
  const m = /^([a-z]+):(.*)$/i.exec(spec);
  if (!m) return spec;
  const kind = m[1].toLowerCase();
  const rest = m[2].replace(/[\\/]+$/, '');
  if (kind === 'synthetic') return rest ? `Synthetic (${rest})` : 'Synthetic';
  if (DATASET_KINDS[kind]) return DATASET_KINDS[kind];
  if (kind === 'csv' || kind === 'folder') {
    const base = basename(rest, extname(rest));
    // A CSV called labels.csv / annotations.csv is named after its folder.
    if (kind === 'csv' && GENERIC.test(base)) return basename(rest.slice(0, -basename(rest).length - 1)) || base;
    return base || spec;
  }
  return spec;
}

export type ModelKind = 'PT animal' | 'PT speech' | 'PT' | 'PT+FT' | 'baseline' | 'other';

/**
 * Classify a model from modelInfo.type ('PT', 'PT+FT', 'baseline'; other tools may write 'PT animal'),
 * a pre-trained one as animal or speech by its recorded pre-training corpus. Without a recorded type a
 * model stays 'other': a file called hubert_tiny.onnx may be anything (a random-init test network, a
 * fine-tuned export).
 */
export function modelKind(info?: ModelInfo): ModelKind {
  const t = (info?.type ?? '').toLowerCase().replace(/\s+/g, ' ').trim();
  if (!t) return 'other';
  if (/ft|fine/.test(t)) return 'PT+FT';
  if (t.includes('baseline')) return 'baseline';
  if (!t.startsWith('pt')) return 'other';
  const about = `${t} ${String(info?.pretraining ?? '').toLowerCase()}`;
  return /animal|bio/.test(about) ? 'PT animal' : /speech|libri/.test(about) ? 'PT speech' : 'PT';
}

/** Pre-trained and not fine-tuned: 'PT', 'PT animal' or 'PT speech'. */
export function isPretrainedOnly(kind: ModelKind): boolean {
  return kind.startsWith('PT') && kind !== 'PT+FT';
}

/** Group label in tables (the paper's "Type" column). */
export function kindGroup(kind: ModelKind): string {
  if (kind === 'PT+FT') return 'PT + FT';
  if (kind.startsWith('PT')) return 'PT';
  if (kind === 'baseline') return 'Baseline';
  return 'Other';
}

/** The model family (architecture) that links a fine-tuned model to its base: modelInfo.family, else guessed from the display name. */
export function modelFamily(name: string, info?: ModelInfo): string {
  if (info?.family) return String(info.family).toLowerCase();
  const i = name.toLowerCase();
  if (i.startsWith('w2v2') || i.startsWith('wav2vec')) return 'wav2vec2';
  return i.split(/[-_\s.]/)[0] || i;
}

const KIND_ORDER: ModelKind[] = ['PT animal', 'PT speech', 'PT', 'PT+FT', 'baseline', 'other'];

/** Sort key: the paper's order of kinds (PT animal, PT speech, PT+FT, others), then by name. */
export function modelOrder(a: { kind: ModelKind; name: string }, b: { kind: ModelKind; name: string }): number {
  const k = KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind);
  if (k !== 0) return k;
  return a.name.localeCompare(b.name);
}

/** A file-name-safe slug of any text (figure file names come from user-provided dataset names). */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return s || 'x';
}

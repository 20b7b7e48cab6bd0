/**
 * How datasets and models are named, grouped and ordered in the report. Names come from the manifests
 * when they have them; known zoo ids and dataset kinds get the paper's names.
 */
import { basename, extname } from 'node:path';
import type { ModelInfo } from './types.js';

/** The paper's names for the zoo's models (SPEC.md, Table II). */
const MODEL_NAMES: Record<string, string> = {
  'aves-bio': 'AVES-Bio', 'hubert-base': 'HuBERT', 'w2v2-base': 'W2V2', 'w2v2-base-100h': 'W2V2-100h',
  'w2v2-base-960h': 'W2V2-960h', 'wavlm-base': 'WavLM', 'wavlm-base-100h': 'WavLM-100h',
};
/** CSV names that say nothing about the data: such a dataset is named after its folder. */
const GENERIC = /^(labels|annotations|metadata|index|data|dataset)$/i;
const DATASET_KINDS: Record<string, string> = { watkins: 'Watkins', imv: 'IMV', abzaliev: 'Abzaliev', synthetic: 'Synthetic' };

/** Whether `id` is one of the zoo's model ids (what `extract --model` takes by name). */
export function isZooId(id: string): boolean {
  return id.toLowerCase() in MODEL_NAMES;
}

/** A short display name for a model id (zoo id, or a path to an .onnx file). */
export function modelName(id: string): string {
  const known = MODEL_NAMES[id.toLowerCase()];
  if (known) return known;
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

/** Classify a model from modelInfo.type, else from its zoo id. */
export function modelKind(id: string, info?: ModelInfo): ModelKind {
  const t = (info?.type ?? '').toLowerCase().replace(/\s+/g, ' ').trim();
  if (t) {
    if (/ft|fine/.test(t)) return 'PT+FT';
    if (t.startsWith('pt')) return /animal|bio/.test(t) ? 'PT animal' : (/speech/.test(t) ? 'PT speech' : 'PT');
    if (t.includes('baseline')) return 'baseline';
    return 'other';
  }
  // Without a recorded type only the zoo's own ids are classified: a file called hubert_tiny.onnx may
  // be anything (a random-init test network, a fine-tuned export), so it stays 'other'.
  const i = id.toLowerCase();
  if (!(i in MODEL_NAMES)) return 'other';
  if (/-\d+h$/.test(i)) return 'PT+FT';
  return i.startsWith('aves') ? 'PT animal' : 'PT speech';
}

/** Group label in tables (the paper's "Type" column). */
export function kindGroup(kind: ModelKind): string {
  if (kind === 'PT+FT') return 'PT + FT';
  if (kind.startsWith('PT')) return 'PT';
  if (kind === 'baseline') return 'Baseline';
  return 'Other';
}

/** The model family (architecture) that links a fine-tuned model to its base. */
export function modelFamily(id: string, info?: ModelInfo): string {
  if (info?.family) return String(info.family).toLowerCase();
  const i = modelName(id).toLowerCase();
  if (i.startsWith('w2v2') || i.startsWith('wav2vec')) return 'wav2vec2';
  return i.split(/[-_\s.]/)[0] || i;
}

const KIND_ORDER: ModelKind[] = ['PT animal', 'PT speech', 'PT', 'PT+FT', 'baseline', 'other'];
const ZOO_ORDER = Object.keys(MODEL_NAMES);

/** Sort key: the paper's order (PT animal, PT speech, PT+FT, others), zoo order, then by name. */
export function modelOrder(a: { id: string; kind: ModelKind; name: string }, b: { id: string; kind: ModelKind; name: string }): number {
  const k = KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind);
  if (k !== 0) return k;
  const za = ZOO_ORDER.indexOf(a.id.toLowerCase());
  const zb = ZOO_ORDER.indexOf(b.id.toLowerCase());
  if (za !== zb) return (za < 0 ? 99 : za) - (zb < 0 ? 99 : zb);
  return a.name.localeCompare(b.name);
}

/** A file-name-safe slug of any text (figure file names come from user-provided dataset names). */
export function slug(text: string): string {
  const s = text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return s || 'x';
}

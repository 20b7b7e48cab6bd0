/**
 * Phase 1 of a run, "load": read an experiment file, validate it (errors name `file:line` and the field),
 * apply its protocol preset and resolve every path, giving an `Experiment` that later phases use as is.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { ResamplerChoice } from '../audio/resampler.js';
import { BioprobeError } from '../util/errors.js';
import {
  DEFAULT_CKA,
  DEFAULT_LABELS,
  PRESETS,
  type AnalysesSettings,
  type ProbeSettings,
  type ProtocolName,
  type SplitSettings,
} from './presets.js';
import {
  DatasetSchema,
  ExperimentSchema,
  ExtractSchema,
  ModelSchema,
  ProbeSchema,
  ReportSchema,
  SplitSchema,
  AnalysesSchema,
  type ExperimentFile,
} from './schema.js';
import { locateIssues, nodeAt, positionOf, type LocatedIssue } from './yamlIssues.js';

/** A model as the runner sees it. */
export type ModelRef = { kind: 'zoo'; id: string } | { kind: 'file'; path: string } | { kind: 'baseline'; baseline: 'logmel' };

export interface ExperimentModel {
  ref: ModelRef;
  /** Folder-safe short name (explicit, else the zoo id, the file's base name or the baseline's name). */
  name: string;
  fuse: boolean;
  description?: string;
  /** Layer-0 tap override; undefined = the zoo entry's (files: encoder-input). */
  layer0?: 'encoder-input' | 'projection';
}

export interface ExperimentDataset {
  /** The spec with its path made absolute (`csv:/abs/labels.csv`, `synthetic:120`). */
  spec: string;
  /** Explicit name; else the loaded dataset's name is used. */
  name?: string;
  split: SplitSettings;
  /** Class index map replacing the dataset's own; undefined = the dataset's. */
  classes?: string[];
}

/** A validated experiment with defaults applied and absolute paths. */
export interface Experiment {
  file: string;
  name: string;
  description?: string;
  protocol: ProtocolName;
  root: string;
  output: string;
  work: string;
  cache: string;
  datasets: ExperimentDataset[];
  models: ExperimentModel[];
  probe: ProbeSettings;
  extract: {
    threads: number;
    device: 'cpu' | 'cuda';
    limit?: number;
    /** Resampling engine choice (default auto). */
    resampler: ResamplerChoice;
    /** The preset asks for the exact resampler and neither the file nor the command allowed an inexact one. */
    requireExactResampler: boolean;
  };
  fusion: boolean;
  analyses: AnalysesSettings;
  report: { title: string; pdf: boolean | 'auto'; notice?: string };
}

/** An experiment file that does not validate: every problem with its line, on one line for the CLI. */
export class ExperimentError extends BioprobeError {
  readonly issues: LocatedIssue[];
  constructor(file: string, issues: LocatedIssue[]) {
    const text = issues.map((i) => `${file}:${i.line}: ${i.path ? i.path + ': ' : ''}${i.message}`).join('; ');
    super('experiment', 'experiment-invalid', text, { hint: 'see docs/EXPERIMENTS.md for the fields' });
    this.name = 'ExperimentError';
    this.issues = issues;
  }
}

function keysOf(schema: unknown): string[] | undefined {
  const s = schema as { shape?: Record<string, unknown>; def?: { in?: unknown; out?: unknown; innerType?: unknown; schema?: unknown } };
  if (s?.shape) return Object.keys(s.shape);
  const inner = s?.def?.out ?? s?.def?.innerType ?? s?.def?.schema ?? s?.def?.in;
  return inner ? keysOf(inner) : undefined;
}

/** Which fields a map at `path` may have, for "unknown field" messages. */
function allowedKeys(path: readonly PropertyKey[]): string[] | undefined {
  const p = path.filter((s) => typeof s === 'string').join('.');
  const table: Record<string, unknown> = {
    '': ExperimentSchema,
    datasets: DatasetSchema,
    'datasets.split': SplitSchema,
    models: ModelSchema,
    probe: ProbeSchema,
    extract: ExtractSchema,
    report: ReportSchema,
    analyses: AnalysesSchema,
  };
  return keysOf(table[p]);
}

function resolveSpec(spec: string, root: string): string {
  const m = /^([a-z]+):(.+)$/.exec(spec);
  if (!m || m[1] === 'synthetic') return spec;
  return `${m[1]}:${resolve(root, m[2])}`;
}

function defaultModelName(ref: ModelRef): string {
  if (ref.kind === 'zoo') return ref.id.replace('/', '--'); // a repository id org/name names a folder as org--name
  if (ref.kind === 'baseline') return ref.baseline;
  const parts = ref.path.replace(/[\\/]+$/, '').split(/[\\/]/);
  const base = (parts.pop() ?? 'model')
    .replace(/\.index\.json$/i, '')
    .replace(/\.(onnx|safetensors|bin|pt|pth|ckpt)$/i, '')
    .replace(/\.torchaudio$/i, '');
  // a Hugging Face weights file (model.safetensors, pytorch_model.bin) is named by its folder
  return /^(model|pytorch_model)(-\d+-of-\d+)?$/.test(base) && parts.length ? parts.pop()! : base;
}

export interface LoadOptions {
  /** Extraction threads when the file does not say (the CLI passes the machine's cores). */
  threads: number;
  /** Cache folder when the file does not say (the CLI passes $BIOPROBE_CACHE or ~/.cache/bioprobe). */
  cacheDir: string;
  /** `--allow-inexact-resampler`: as the file's extract.allowInexactResampler: true. */
  allowInexactResampler?: boolean;
}

/** Parse and validate `text` as the experiment file `file` (a path used in messages and for `root`). */
export function parseExperiment(text: string, file: string, opts: LoadOptions): Experiment {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ExperimentError(
      file,
      doc.errors.map((e) => {
        const pos = lc.linePos(e.pos[0]);
        return { line: pos.line, col: pos.col, path: '', message: `YAML: ${e.message.split('\n')[0]}` };
      }),
    );
  }
  const parsed = ExperimentSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) throw new ExperimentError(file, locateIssues(parsed.error.issues, doc, lc, allowedKeys));
  const raw: ExperimentFile = parsed.data;

  const fileDir = dirname(resolve(file));
  const root = raw.root === undefined ? fileDir : resolve(fileDir, raw.root);
  const preset = PRESETS[raw.protocol];
  const models: ExperimentModel[] = raw.models.map((m) => {
    const ref: ModelRef =
      m.file !== undefined
        ? { kind: 'file', path: resolve(root, m.file) }
        : m.id!.startsWith('baseline:')
          ? { kind: 'baseline', baseline: 'logmel' }
          : { kind: 'zoo', id: m.id! };
    return {
      ref,
      name: m.name ?? defaultModelName(ref),
      fuse: m.fuse ?? ref.kind !== 'baseline',
      description: m.description,
      layer0: m.layer0,
    };
  });

  const issues: LocatedIssue[] = [];
  const seen = new Map<string, number>();
  models.forEach((m, i) => {
    const prev = seen.get(m.name);
    if (prev !== undefined) {
      const pos = positionOf(nodeAt(doc, ['models', i]), lc);
      issues.push({
        ...pos,
        path: `models[${i}]`,
        message: `model name "${m.name}" is already used by models[${prev}]: give one of them a \`name\``,
      });
    } else seen.set(m.name, i);
  });
  const dsNames = new Map<string, number>();
  raw.datasets.forEach((d, i) => {
    if (d.name === undefined) return;
    const prev = dsNames.get(d.name);
    if (prev !== undefined)
      issues.push({
        ...positionOf(nodeAt(doc, ['datasets', i]), lc),
        path: `datasets[${i}].name`,
        message: `dataset name "${d.name}" is already used by datasets[${prev}]`,
      });
    else dsNames.set(d.name, i);
  });
  models.forEach((m, i) => {
    if (m.ref.kind === 'file' && !existsSync(m.ref.path)) {
      issues.push({
        ...positionOf(nodeAt(doc, ['models', i]), lc),
        path: `models[${i}].file`,
        message: `no such model file: ${m.ref.path}`,
      });
    }
  });
  if (issues.length > 0) throw new ExperimentError(file, issues);

  const output = resolve(root, raw.output ?? join('reports', raw.name));
  return {
    file: resolve(file),
    name: raw.name,
    description: raw.description,
    protocol: raw.protocol,
    root,
    output,
    work: raw.work === undefined ? join(output, 'work') : resolve(root, raw.work),
    cache: raw.cache === undefined ? opts.cacheDir : resolve(root, raw.cache),
    datasets: raw.datasets.map((d) => ({
      spec: resolveSpec(d.spec, root),
      name: d.name,
      split: { ...preset.split, ...d.split },
      classes: d.classes,
    })),
    models,
    probe: { ...preset.probe, ...stripUndefined(raw.probe) },
    extract: {
      threads: raw.extract.threads ?? opts.threads,
      device: raw.extract.device ?? 'cpu',
      limit: raw.extract.limit,
      resampler: raw.extract.resampler ?? 'auto',
      requireExactResampler:
        preset.extract.exactResampler && !(raw.extract.allowInexactResampler === true || opts.allowInexactResampler === true),
    },
    fusion: raw.fusion,
    analyses: {
      recall: raw.analyses.recall,
      weighted: raw.analyses.weighted,
      labels:
        raw.analyses.labels === false
          ? false
          : { ...DEFAULT_LABELS, ...(raw.analyses.labels === true ? {} : stripUndefined(raw.analyses.labels)) },
      cka: raw.analyses.cka === false ? false : { ...DEFAULT_CKA, ...(raw.analyses.cka === true ? {} : stripUndefined(raw.analyses.cka)) },
    },
    report: { title: raw.report.title ?? raw.description ?? raw.name, pdf: raw.report.pdf, notice: raw.report.notice },
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Read and validate an experiment file. */
export function loadExperiment(file: string, opts: LoadOptions): Experiment {
  if (!existsSync(file))
    throw new BioprobeError('experiment', 'experiment-missing', 'no such experiment file', {
      file,
      hint: 'bioprobe run experiments/demo.yaml runs the built-in demo',
    });
  return parseExperiment(readFileSync(file, 'utf8'), file, opts);
}

/**
 * The experiment file (YAML), as data: a zod schema that validates it and fills defaults. One file says
 * which datasets, which models, which protocol preset, which seeds, and where results go; `bioprobe run`
 * turns it into the whole chain. Field reference: docs/EXPERIMENTS.md.
 */
import { z } from 'zod';
import { parseSpec } from '../datasets/load.js';
import type { BioprobeError } from '../util/errors.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const name = () => z.string().regex(NAME, { message: 'use letters, digits, ".", "_" or "-" (it names folders)' });

/** How a dataset's items are split into train/val/test (SPEC.md "Split"). */
export const SplitSchema = z
  .object({
    seed: z.number().int().nonnegative().default(42),
    ratios: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]).default([70, 20, 10]),
    stratified: z.boolean().default(false),
  })
  .strict();

/** An ordered class list (class i = probe output i): non-empty names, each once. */
const ClassesSchema = z
  .array(z.string().min(1))
  .min(1)
  .refine((c) => new Set(c).size === c.length, { message: 'a class is listed twice' });

/** A dataset: its spec (INTERFACE.md "Dataset specs"), or `{spec, name?, split?, classes?}`. */
export const DatasetSchema = z.preprocess(
  (v) => (typeof v === 'string' ? { spec: v } : v),
  z
    .object({
      spec: z
        .string()
        .min(1)
        .superRefine((spec, ctx) => {
          try {
            parseSpec(spec);
          } catch (err) {
            const e = err as BioprobeError;
            ctx.addIssue({ code: 'custom', message: e.hint ? `${e.message} (${e.hint})` : e.message });
          }
        }),
      name: name().optional(),
      split: SplitSchema.optional(),
      /** The class index map in order, replacing the dataset's own (the paper's map for its datasets). */
      classes: ClassesSchema.optional(),
    })
    .strict(),
);

/** The baselines bioprobe computes itself (lib/baselines). */
export const BASELINES = ['logmel'] as const;

/**
 * A model: a zoo id (`hubert-base`), a Hugging Face repository id (`facebook/wav2vec2-base`), a file
 * (`models/x.onnx`, or a checkpoint: `.safetensors`, `.bin`, `.pt`, a folder), or a baseline
 * (`baseline:logmel`). A bare string is a file when it ends in a model file extension or `/`, or
 * starts with `./`, `../` or `/`; any other bare string is an id.
 */
const FILE_LIKE = /\.(onnx|safetensors|bin|pt|pth|ckpt)$|\.index\.json$|\/$|^\.{0,2}\//i;
export const ModelSchema = z.preprocess(
  (v) => (typeof v === 'string' ? (FILE_LIKE.test(v) ? { file: v } : { id: v }) : v),
  z
    .object({
      id: z.string().min(1).optional(),
      file: z.string().min(1).optional(),
      name: name().optional(),
      /** Take part in fusion (default: yes for SSL models, no for baselines). */
      fuse: z.boolean().optional(),
      /** Free text shown in the report (what this model is). */
      description: z.string().optional(),
      /** Layer-0 tap (SPEC.md "Layers"); default: the zoo entry's (the paper's), encoder-input for files. */
      layer0: z.enum(['encoder-input', 'projection']).optional(),
    })
    .strict()
    .refine((m) => (m.id === undefined) !== (m.file === undefined), {
      message: 'give exactly one of `id` (zoo id, org/name or baseline:NAME) or `file` (an .onnx file or a checkpoint)',
    })
    .refine((m) => !m.id?.startsWith('baseline:') || (BASELINES as readonly string[]).includes(m.id.slice(9)), {
      message: `unknown baseline (known: ${BASELINES.map((b) => 'baseline:' + b).join(', ')})`,
      path: ['id'],
    })
    .refine((m) => !(m.layer0 && m.id?.startsWith('baseline:')), { message: 'a baseline has no layer-0 tap', path: ['layer0'] }),
);

/** Layer ranges like `0-12`, `0,3,6-8`. */
const LAYERS = /^\d+(-\d+)?(,\d+(-\d+)?)*$/;

export const ProbeSchema = z
  .object({
    seed: z.number().int().nonnegative().optional(),
    seeds: z.number().int().min(1).max(100).optional(),
    select: z.enum(['best-val', 'last']).optional(),
    /** UAR's classes: `present` (tp+fp+fn > 0; torchmetrics >= 1.0) or `all` (every class, absent ones 0; torchmetrics 0.11, the paper's). */
    uarClasses: z.enum(['present', 'all']).optional(),
    layers: z.string().regex(LAYERS, { message: 'a layer list like "0-12" or "0,4,8-12"' }).optional(),
  })
  .strict();

export const ExtractSchema = z
  .object({
    threads: z.number().int().min(1).max(256).optional(),
    device: z.enum(['cpu', 'cuda']).optional(),
    /** Only the first N items of each dataset (quick looks; never for results you report). */
    limit: z.number().int().positive().optional(),
    /** Resampling engine: `auto` (libsoxr HQ when installed, else bioprobe's inexact kaiser), `libsoxr`, `kaiser`. */
    resampler: z.enum(['auto', 'libsoxr', 'kaiser']).optional(),
    /** Let the `paper` protocol run with an inexact resampler (it refuses one by default). */
    allowInexactResampler: z.boolean().optional(),
  })
  .strict();

/** Label efficiency: training clips per class (integers, and `all`) and seeds per point. */
const LabelsSchema = z
  .object({
    shots: z
      .array(z.union([z.number().int().min(1), z.literal('all')]))
      .min(1)
      .optional(),
    seeds: z.number().int().min(1).max(100).optional(),
  })
  .strict();

/** Layer similarity: `auto` (exact when cheap, else low-rank with guaranteed intervals), `exact` or `lowrank`. */
const CkaSchema = z
  .object({
    mode: z.enum(['auto', 'exact', 'lowrank']).optional(),
    /** Z-score each feature dimension first, as the probe does (default false: CKA of the raw pooled features). */
    standardize: z.boolean().optional(),
  })
  .strict();

/** The analyses beyond the paper (docs/EXPERIMENTS.md): each true by default, false to skip, or its settings. */
export const AnalysesSchema = z
  .object({
    /** Per-class test recall by layer, from each probe's results (nearly free). */
    recall: z.boolean().default(true),
    /** All layers, learned mix: the weighted probe per SSL model and dataset (same protocol and seeds as the probes). */
    weighted: z.boolean().default(true),
    /** Test UAR against training clips per class, at each model's best validation layer. */
    labels: z.union([z.boolean(), LabelsSchema]).default(true),
    /** Linear CKA between every pair of layers across each dataset's models. */
    cka: z.union([z.boolean(), CkaSchema]).default(true),
  })
  .strict();

export const ReportSchema = z
  .object({
    title: z.string().optional(),
    /** `auto`: a PDF where Chromium exists; true: fail without one; false: HTML only. */
    pdf: z.union([z.boolean(), z.literal('auto')]).default('auto'),
    /** A notice printed at the top of the report (e.g. "this is a demonstration on synthetic data"). */
    notice: z.string().optional(),
  })
  .strict();

export const ExperimentSchema = z
  .object({
    name: name(),
    description: z.string().optional(),
    /** Folder that relative paths are resolved against, itself relative to this file (default: its folder). */
    root: z.string().optional(),
    /** `paper`: the paper's code (SPEC.md); `default`: bioprobe's cleaner protocol. */
    protocol: z.enum(['paper', 'default']).default('default'),
    datasets: z.array(DatasetSchema).min(1, { message: 'list at least one dataset' }),
    models: z.array(ModelSchema).min(1, { message: 'list at least one model' }),
    probe: ProbeSchema.default({}),
    extract: ExtractSchema.default({}),
    /** Fuse each dataset's models (those with fuse: true) when there are at least two. */
    fusion: z.boolean().default(true),
    /** The analyses beyond the paper: per-class recall, the weighted probe, label efficiency, layer similarity. */
    analyses: AnalysesSchema.default({ recall: true, weighted: true, labels: true, cka: true }),
    /** The report folder (report.html, report.pdf); default `reports/<name>`. */
    output: z.string().optional(),
    /** Where stage outputs (features, results) are cached; default `<output>/work`. */
    work: z.string().optional(),
    /** Where downloaded and materialised inputs (synthetic audio, tapped models) live; default $BIOPROBE_CACHE or ~/.cache/bioprobe. */
    cache: z.string().optional(),
    report: ReportSchema.default({ pdf: 'auto' }),
  })
  .strict();

export type ExperimentFile = z.infer<typeof ExperimentSchema>;
export type DatasetEntry = z.infer<typeof DatasetSchema>;
export type ModelEntry = z.infer<typeof ModelSchema>;

/**
 * The study: every results directory merged into datasets x models, with per-layer scores summarised
 * over seeds and each model's best layer chosen. This is the one data model the tables, figures and
 * text of the report are built from.
 */
import type { SplitRow } from '../datasets/splitFile.js';
import type { ClipRow } from '../features/clipsCsv.js';
import type { FeatureModelInfo, FeaturesManifest } from '../features/manifest.js';
import { FUSION_VARIANTS, layerIndex, type ResultRow, type ResultsDir, type ResultsManifest } from '../results/index.js';
import type { AsRead } from '../util/asRead.js';
import { WEIGHTED_NAME } from '../probe/index.js';
import { mean, sampleStd } from '../util/stats.js';
import { Warnings } from '../util/warnings.js';
import { datasetName, modelFamily, modelKind, modelName, modelOrder, type ModelKind } from './names.js';
import { summarise, type Summary } from './summary.js';

export interface StudyModel {
  id: string;
  /** Only layer 0 exists (a baseline feature such as log-mel statistics): no "CNN" label, no layer plot line. */
  singleLayer: boolean;
  name: string;
  kind: ModelKind;
  family: string;
  /** What the features manifest records about the model (extraction, experiments; other tools' may say less). */
  info?: AsRead<FeatureModelInfo>;
  features?: AsRead<FeaturesManifest>;
}

interface LayerScore {
  layer: number;
  val?: Summary;
  test?: Summary;
}

interface LayerSelection {
  layer: number;
  /** The split the layer was chosen on: 'val' (honest) or 'test' (the paper's Table III, optimistic). */
  by: 'val' | 'test';
  test: Summary;
  /** 95 % bootstrap interval over test clips (summary.csv) in percent, when the probe recorded one. */
  bootstrap?: { lo: number; hi: number };
}

export interface ModelResult {
  model: StudyModel;
  layers: LayerScore[];
  /** Best layer on validation UAR (falls back to test when there are no validation rows). */
  selected?: LayerSelection;
  /** Best layer on test UAR, the paper's convention. */
  oracle?: LayerSelection;
  source: ResultsDir;
}

interface FusionResult {
  /** `fusion` (layers chosen on validation) or `fusion-test-chosen` (the paper's choice, leaks). */
  variant: string;
  /** The fused models and their layers (fusion.json), display names. */
  members?: { model: string; layer: number }[];
  test?: Summary;
  bootstrap?: { lo: number; hi: number };
  val?: Summary;
  source: ResultsDir;
}

/** The weighted probe of one model (all layers, learned mix; results rows `all-weighted`). */
export interface WeightedResult {
  model: StudyModel;
  test?: Summary;
  val?: Summary;
  bootstrap?: { lo: number; hi: number };
  /** softmax weight per mixed layer at each seed's selected epoch (layer_weights.csv): mean and sample std over `seeds`. */
  weights?: { layer: number; mean: number; std: number; seeds: number }[];
  source: ResultsDir;
}

export interface StudyDataset {
  key: string;
  name: string;
  /** The name came from a manifest's `datasetName` rather than from the spec. */
  nameGiven?: boolean;
  classes?: string[];
  clips?: ClipRow[];
  split?: SplitRow[];
  results: ModelResult[];
  fusion?: FusionResult;
  /** The fusion of layers chosen on test, when `fuse` wrote that variant (for the paper-convention table). */
  fusionOracle?: FusionResult;
  /** The weighted probes run on this dataset, in model order. */
  weighted: WeightedResult[];
  manifests: AsRead<ResultsManifest>[];
}

export interface Study {
  datasets: StudyDataset[];
  models: StudyModel[];
  dirs: ResultsDir[];
  seeds: string[];
  /** Why this is a demonstration (synthetic data, random weights), or undefined for a real study. */
  demo?: string;
  warnings: Warnings;
}

/**
 * The study's scores are in percent (results files hold fractions, to 6 significant digits); rounding
 * to 15 digits drops the binary noise of x 100 (0.58 x 100 = 57.99999999999999).
 */
const percent = (fraction: number) => Number((100 * fraction).toPrecision(15));

/** A summary.csv interval of a layer or fusion variant, in percent. */
function interval(source: ResultsDir, layer: string): { lo: number; hi: number } | undefined {
  const i = source.intervals?.get(layer);
  return i && { lo: percent(i.lo), hi: percent(i.hi) };
}

/** Merge loaded results directories into a study. */
export function buildStudy(dirs: ResultsDir[], warnings: Warnings = new Warnings()): Study {
  const models = new Map<string, StudyModel>();
  const datasets = new Map<string, StudyDataset>();
  const groups = new Map<string, { rows: ResultRow[]; source: ResultsDir }>();
  const fusionRows = new Map<string, { rows: ResultRow[]; source: ResultsDir }>();
  const weightedRows = new Map<string, { rows: ResultRow[]; source: ResultsDir }>();
  const seen = new Set<string>();

  for (const d of dirs) {
    for (const r of d.results) {
      const id = [r.model, r.dataset, r.layer, r.seed, r.split].join('\u0000');
      if (seen.has(id)) {
        warnings.add(
          `duplicate result (${r.model}, ${r.dataset}, layer ${r.layer}, seed ${r.seed}, ${r.split}) in ${d.dir}: the first one is used`,
        );
        continue;
      }
      seen.add(id);
      const ds = datasetEntry(datasets, r.dataset, d.manifest?.features?.datasetName ?? d.manifest?.datasetName);
      if (d.manifest && !ds.manifests.includes(d.manifest)) ds.manifests.push(d.manifest);
      ds.classes ??= d.classes;
      ds.split ??= d.split;
      if (!ds.clips && d.clips) ds.clips = d.clips;
      if (layerIndex(r) === null && String(r.layer).toLowerCase() === WEIGHTED_NAME) {
        modelEntry(models, r.model, d);
        const wkey = r.dataset + '\u0000' + r.model;
        const g = weightedRows.get(wkey) ?? { rows: [], source: d };
        g.rows.push(r);
        weightedRows.set(wkey, g);
        continue;
      }
      if (layerIndex(r) === null) {
        const variant = String(r.layer).toLowerCase();
        if (!(FUSION_VARIANTS as readonly string[]).includes(variant)) {
          warnings.add(`${d.dir}: layer "${r.layer}" is neither a number nor a fusion variant; its rows are left out`);
          continue;
        }
        const fkey = r.dataset + '\u0000' + variant;
        const g = fusionRows.get(fkey) ?? { rows: [], source: d };
        g.rows.push(r);
        fusionRows.set(fkey, g);
        continue;
      }
      modelEntry(models, r.model, d);
      const key = r.dataset + '\u0000' + r.model;
      const g = groups.get(key) ?? { rows: [], source: d };
      g.rows.push(r);
      groups.set(key, g);
    }
  }
  uniqueNames([...datasets.values()]);
  for (const m of models.values()) {
    // parameters are counted at extraction (features manifest modelInfo.params); the report never opens a model
    if (m.info && typeof m.info.params !== 'number')
      warnings.add(
        `${m.name}: its features manifest records no parameter count (extracted by an older bioprobe or another tool); Table II shows \u2014`,
      );
  }
  for (const m of models.values()) {
    const layers = new Set([...groups].filter(([k]) => k.endsWith('\u0000' + m.id)).flatMap(([, g]) => g.rows.map(layerIndex)));
    m.singleLayer = m.features?.layers === 1 || (layers.size === 1 && layers.has(0));
  }
  const modelList = [...models.values()].sort(modelOrder);

  for (const [key, g] of groups) {
    const [dsKey, modelId] = key.split('\u0000');
    datasets.get(dsKey)!.results.push(modelResult(models.get(modelId)!, g.rows, g.source));
  }
  for (const ds of datasets.values()) {
    ds.results.sort((a, b) => modelList.indexOf(a.model) - modelList.indexOf(b.model));
    ds.fusion = fusionResult(fusionRows.get(ds.key + '\u0000fusion'), 'fusion', models);
    ds.fusionOracle = fusionResult(fusionRows.get(ds.key + '\u0000fusion-test-chosen'), 'fusion-test-chosen', models);
    ds.weighted = modelList.flatMap((m) => {
      const g = weightedRows.get(ds.key + '\u0000' + m.id);
      return g ? [weightedResult(m, g.rows, g.source)] : [];
    });
  }
  const seeds = [...new Set(dirs.flatMap((d) => d.results.map((r) => String(r.seed))))].sort(
    (a, b) => Number(a) - Number(b) || a.localeCompare(b),
  );
  const study: Study = { datasets: [...datasets.values()], models: modelList, dirs, seeds, warnings };
  study.demo = demoReason(study);
  return study;
}

/** The model `id` as first met (names and kinds from the folder's features manifest). */
function modelEntry(models: Map<string, StudyModel>, id: string, d: ResultsDir): void {
  if (models.has(id)) return;
  const info = d.manifest?.features?.modelInfo;
  const given = info?.name ?? d.manifest?.features?.modelName;
  const name = typeof given === 'string' && given.trim() ? given.trim() : modelName(id);
  models.set(id, {
    id,
    singleLayer: false,
    name,
    kind: modelKind(info),
    family: modelFamily(name, info),
    info,
    features: d.manifest?.features,
  });
}

function weightedResult(model: StudyModel, rows: ResultRow[], source: ResultsDir): WeightedResult {
  const byLayer = new Map<number, number[]>();
  for (const w of source.layerWeights ?? []) {
    if (w.selected !== 1) continue;
    byLayer.set(w.layer, [...(byLayer.get(w.layer) ?? []), w.weight]);
  }
  const weights = [...byLayer]
    .sort((a, b) => a[0] - b[0])
    .map(([layer, v]) => ({ layer, mean: mean(v), std: v.length > 1 ? sampleStd(v) : 0, seeds: v.length }));
  return {
    model,
    test: scoreOf(rows, 'test'),
    val: scoreOf(rows, 'val'),
    bootstrap: interval(source, WEIGHTED_NAME),
    weights: weights.length > 0 ? weights : undefined,
    source,
  };
}

function fusionResult(
  g: { rows: ResultRow[]; source: ResultsDir } | undefined,
  variant: string,
  models: Map<string, StudyModel>,
): FusionResult | undefined {
  if (!g) return undefined;
  const members = g.source.fusion
    ?.find((f) => f.variant === variant)
    ?.members.map((m) => ({ model: models.get(m.model)?.name ?? modelName(m.model), layer: m.layer }));
  return {
    variant,
    members,
    test: scoreOf(g.rows, 'test'),
    val: scoreOf(g.rows, 'val'),
    source: g.source,
    bootstrap: interval(g.source, String(g.rows[0].layer)),
  };
}

function datasetEntry(map: Map<string, StudyDataset>, key: string, given: unknown): StudyDataset {
  let e = map.get(key);
  if (!e) {
    e = { key, name: datasetName(key, given), results: [], weighted: [], manifests: [] };
    map.set(key, e);
  } else if (typeof given === 'string' && given.trim() && !e.nameGiven) {
    // a fused dir met first carries no name; the probes' features manifests do
    e.name = datasetName(key, given);
  }
  if (typeof given === 'string' && given.trim()) e.nameGiven = true;
  return e;
}

function uniqueNames(list: StudyDataset[]): void {
  const count = new Map<string, number>();
  for (const d of list) {
    const n = (count.get(d.name) ?? 0) + 1;
    count.set(d.name, n);
    if (n > 1) d.name = `${d.name} (${n})`;
  }
}

function scoreOf(rows: ResultRow[], split: string): Summary | undefined {
  const v = rows.filter((r) => r.split === split).map((r) => percent(r.uar));
  return v.length > 0 ? summarise(v) : undefined;
}

function modelResult(model: StudyModel, rows: ResultRow[], source: ResultsDir): ModelResult {
  const byLayer = new Map<number, ResultRow[]>();
  for (const r of rows) {
    const l = byLayer.get(layerIndex(r)!) ?? [];
    l.push(r);
    byLayer.set(layerIndex(r)!, l);
  }
  const layers = [...byLayer.keys()]
    .sort((a, b) => a - b)
    .map((layer): LayerScore => ({ layer, val: scoreOf(byLayer.get(layer)!, 'val'), test: scoreOf(byLayer.get(layer)!, 'test') }));
  const withInterval = (sel: LayerSelection | undefined) => (sel ? { ...sel, bootstrap: interval(source, String(sel.layer)) } : undefined);
  return {
    model,
    layers,
    selected: withInterval(select(layers, 'val') ?? select(layers, 'test')),
    oracle: withInterval(select(layers, 'test')),
    source,
  };
}

/** The layer with the highest mean UAR on `by` (the earliest layer on ties), with its test score. */
function select(layers: LayerScore[], by: 'val' | 'test'): LayerSelection | undefined {
  let best: LayerScore | undefined;
  for (const l of layers) {
    const s = l[by];
    if (s && l.test && (!best || s.mean > best[by]!.mean)) best = l;
  }
  return best ? { layer: best.layer, by, test: best.test! } : undefined;
}

function demoReason(study: Study): string | undefined {
  const reasons: string[] = [];
  if (
    study.datasets.some(
      (d) => /^synthetic\b/i.test(d.key) || d.manifests.some((m) => /^synthetic\b/i.test(String(m.dataset ?? m.features?.dataset ?? ''))),
    )
  )
    reasons.push('the recordings are synthetic');
  if (study.models.some((m) => m.info?.randomInit === true || m.features?.randomInit === true))
    reasons.push('some models have random (untrained) weights');
  return reasons.length > 0 ? reasons.join(' and ') : undefined;
}

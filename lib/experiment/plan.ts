/**
 * Phase 2 of a run, "plan": load the datasets, resolve the models, and lay out every stage with its
 * output folder and its key. A key is a content hash of what the stage's output depends on, and of the
 * keys of the stages it reads from, so a change anywhere redoes exactly the stages downstream of it.
 *
 *   split(d)      <- items of d, split settings
 *   extract(m,d)  <- model fingerprint (file sha256), items of d, device, limit, resampler (engine + version)
 *   probe(m,d)    <- extract(m,d), split(d), the class map of d, probe settings, device
 *   fuse(d)       <- probe(m,d) of every fused model m
 *   weighted(m,d) <- extract(m,d), split(d), the class map of d, probe settings, device (SSL models only)
 *   recall(m,d)   <- probe(m,d)
 *   labels(m,d)   <- extract(m,d), probe(m,d) (its best validation layer and its `all` point), label settings
 *   cka(d)        <- extract(m,d) of every model m of d, CKA settings
 *   report        <- every stage above, report settings, bioprobe version
 */
import { join } from 'node:path';
import type { ResamplerInfo } from '../audio/resampler.js';
import { classesOf } from '../datasets/classes.js';
import type { Dataset } from '../datasets/types.js';
import { extractionResampler } from '../features/resampling.js';
import { VERSION } from '../util/version.js';
import { hashOf } from '../util/hash.js';
import { hashItemList } from './hash.js';
import type { Experiment } from './load.js';
import type { ResolvedModel, Stages } from './stages.js';

/** Bump when a stage's output format or semantics change, so old caches are not reused. */
export const STAGE_FORMATS = { split: 1, extract: 2, probe: 1, fuse: 1, weighted: 1, recall: 1, labels: 1, cka: 1, report: 1 } as const;

export type StageKind = keyof typeof STAGE_FORMATS;

export interface PlannedStage {
  kind: StageKind;
  /** Human label: `extract hubert_tiny × synthetic`. */
  label: string;
  /** Output folder (the marker lives there). */
  dir: string;
  key: string;
  /** What went into the key (written into the marker for people). */
  inputs: unknown;
  model?: ResolvedModel;
  dataset?: PlannedDataset;
  /** The models a per-dataset analysis (cka) compares, in the order of `reads`. */
  members?: ResolvedModel[];
  /** Folders a stage reads (features, results, analyses). */
  reads?: string[];
}

export interface PlannedDataset {
  name: string;
  dataset: Dataset;
  itemsHash: string;
  entry: Experiment['datasets'][number];
  splitFile: string;
}

export interface Plan {
  experiment: Experiment;
  /** The resampling engine every extraction of this run uses (refused at plan time when the protocol needs the exact one). */
  resampler: ResamplerInfo;
  datasets: PlannedDataset[];
  models: ResolvedModel[];
  stages: PlannedStage[];
}

/** A planned probe stage, with the extraction it reads (the analyses key on both). */
interface ProbeStage {
  dir: string;
  key: string;
  model: ResolvedModel;
  fdir: string;
  xKey: string;
}

/** The analysis stages (exp.analyses): per model and dataset weighted, recall, labels; per dataset cka. */
function analysisStages(
  exp: Experiment,
  datasets: PlannedDataset[],
  probeDirs: Map<string, ProbeStage[]>,
  splitKey: Map<string, string>,
): PlannedStage[] {
  const a = exp.analyses;
  const out: PlannedStage[] = [];
  for (const d of datasets) {
    const probes = probeDirs.get(d.name) ?? [];
    for (const p of probes) {
      // a per-model analysis lives in <work>/<kind>/<model>__<dataset>, keyed by the hash of its inputs under its kind
      const pairStage = (kind: 'weighted' | 'recall' | 'labels', what: string, inputs: object, reads: string[]): PlannedStage => ({
        kind,
        label: `${what} ${p.model.name} × ${d.name}`,
        dir: join(exp.work, kind, `${p.model.name}__${d.name}`),
        key: hashOf(kind, inputs),
        inputs,
        model: p.model,
        dataset: d,
        reads,
      });
      if (a.weighted && p.model.model.ref.kind !== 'baseline') {
        const inputs = {
          format: STAGE_FORMATS.weighted,
          features: p.xKey,
          split: splitKey.get(d.name),
          classes: d.dataset.classes,
          probe: exp.probe,
          device: exp.extract.device,
        };
        out.push(pairStage('weighted', 'weighted probe', inputs, [p.fdir]));
      }
      if (a.recall) out.push(pairStage('recall', 'class recall', { format: STAGE_FORMATS.recall, probe: p.key }, [p.dir]));
      if (a.labels) {
        const inputs = { format: STAGE_FORMATS.labels, features: p.xKey, probe: p.key, labels: a.labels, device: exp.extract.device };
        out.push(pairStage('labels', 'label efficiency', inputs, [p.fdir, p.dir]));
      }
    }
    if (a.cka && probes.length > 0) {
      const inputs = { format: STAGE_FORMATS.cka, features: probes.map((p) => [p.model.name, p.xKey]), cka: a.cka };
      out.push({
        kind: 'cka',
        label: `layer similarity ${d.name} (${probes.map((p) => p.model.name).join(', ')})`,
        dir: join(exp.work, 'cka', d.name),
        key: hashOf('cka', inputs),
        inputs,
        dataset: d,
        members: probes.map((p) => p.model),
        reads: probes.map((p) => p.fdir),
      });
    }
  }
  return out;
}

function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  taken.add(name);
  return name;
}

export async function planExperiment(exp: Experiment, stages: Stages, notice?: (line: string) => void): Promise<Plan> {
  const resampler = extractionResampler(exp.extract.resampler, exp.extract.requireExactResampler, notice).info;
  const taken = new Set<string>();
  const datasets: PlannedDataset[] = [];
  for (const entry of exp.datasets) {
    const loaded = await stages.loadDataset(entry.spec, { cacheDir: exp.cache, classes: entry.classes });
    // the class map stays the whole dataset's under --limit: the probe's outputs do not depend on the limit
    const dataset: Dataset = { ...loaded, classes: classesOf(loaded) };
    const items = exp.extract.limit === undefined ? dataset.items : dataset.items.slice(0, exp.extract.limit);
    const limited: Dataset = items === dataset.items ? dataset : { ...dataset, items };
    const name = uniqueName(entry.name ?? dataset.name, taken);
    datasets.push({
      name,
      dataset: limited,
      itemsHash: hashItemList(limited.items),
      entry,
      splitFile: join(exp.work, 'splits', name, 'split.csv'),
    });
  }
  const models: ResolvedModel[] = [];
  for (const m of exp.models) models.push(await stages.resolveModel(m, { cacheDir: exp.cache }));

  const out: PlannedStage[] = [];
  const splitKey = new Map<string, string>();
  for (const d of datasets) {
    const inputs = { format: STAGE_FORMATS.split, items: d.itemsHash, split: d.entry.split };
    const key = hashOf('split', inputs);
    splitKey.set(d.name, key);
    out.push({ kind: 'split', label: `split ${d.name}`, dir: join(exp.work, 'splits', d.name), key, inputs, dataset: d });
  }
  const probeDirs = new Map<string, ProbeStage[]>();
  for (const m of models) {
    for (const d of datasets) {
      const pair = `${m.name}__${d.name}`;
      const xInputs = {
        format: STAGE_FORMATS.extract,
        model: m.fingerprint,
        layer0: m.model.layer0,
        items: d.itemsHash,
        device: exp.extract.device,
        resampler,
      };
      const xKey = hashOf('extract', xInputs);
      const fdir = join(exp.work, 'features', pair);
      out.push({ kind: 'extract', label: `extract ${m.name} × ${d.name}`, dir: fdir, key: xKey, inputs: xInputs, model: m, dataset: d });
      const pInputs = {
        format: STAGE_FORMATS.probe,
        features: xKey,
        split: splitKey.get(d.name),
        classes: d.dataset.classes,
        probe: exp.probe,
        device: exp.extract.device,
      };
      const pKey = hashOf('probe', pInputs);
      const pdir = join(exp.work, 'results', pair);
      out.push({
        kind: 'probe',
        label: `probe ${m.name} × ${d.name}`,
        dir: pdir,
        key: pKey,
        inputs: pInputs,
        model: m,
        dataset: d,
        reads: [fdir],
      });
      const list = probeDirs.get(d.name) ?? [];
      list.push({ dir: pdir, key: pKey, model: m, fdir, xKey });
      probeDirs.set(d.name, list);
    }
  }
  const reportReads: string[] = [];
  const reportKeys: string[] = [];
  const analysed = analysisStages(exp, datasets, probeDirs, splitKey);
  out.push(...analysed);
  for (const d of datasets) {
    const all = probeDirs.get(d.name) ?? [];
    for (const p of all) {
      reportReads.push(p.dir);
      reportKeys.push(p.key);
    }
    const fused = all.filter((p) => p.model.model.fuse);
    if (!exp.fusion || fused.length < 2) continue;
    const inputs = { format: STAGE_FORMATS.fuse, probes: fused.map((p) => p.key) };
    const key = hashOf('fuse', inputs);
    const dir = join(exp.work, 'fusion', d.name);
    out.push({
      kind: 'fuse',
      label: `fuse ${d.name} (${fused.map((p) => p.model.name).join(', ')})`,
      dir,
      key,
      inputs,
      dataset: d,
      reads: fused.map((p) => p.dir),
    });
    reportReads.push(dir);
    reportKeys.push(key);
  }
  for (const a of analysed) {
    reportReads.push(a.dir);
    reportKeys.push(a.key);
  }
  const rInputs = {
    format: STAGE_FORMATS.report,
    version: VERSION,
    stages: reportKeys,
    report: exp.report,
    name: exp.name,
    description: exp.description,
    protocol: exp.protocol,
    models: models.map((m) => [m.name, m.describe, m.model.description]),
  };
  out.push({ kind: 'report', label: 'report', dir: exp.output, key: hashOf('report', rInputs), inputs: rInputs, reads: reportReads });
  return { experiment: exp, resampler, datasets, models, stages: out };
}

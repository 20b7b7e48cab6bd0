/**
 * The analyses a report shows beside the probes' scores, gathered for a study: per-class recall by
 * layer of every probe (read from a class-recall folder when one was given for that results folder,
 * else computed from the probe's confusion counts with the same function), label-efficiency curves
 * and layer-similarity (CKA) files. A problem with one input is a warning and leaves that one out.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { classRecall, readCka, readClassRecall, type CkaModel, type ClassRecall, type LayerSimilarity } from '../analysis/index.js';
import { describeError } from '../util/errors.js';
import type { Warnings } from '../util/warnings.js';
import type { StudyInputs } from './inputs.js';
import { readLabelCurve, type LabelCurve } from './labelCurves.js';
import { datasetName, modelName } from './names.js';
import type { Study, StudyDataset, StudyModel } from './study.js';

export interface StudyAnalyses {
  recall: { dataset: StudyDataset; model: StudyModel; data: ClassRecall }[];
  /** Display names resolved against the study (a curve of a model the study lacks keeps its id's name). */
  labels: { dataset: string; model: string; curve: LabelCurve }[];
  cka: { file: string; dataset: string | undefined; names: Map<string, string>; data: LayerSimilarity }[];
}

/** An empty set of analyses (a study given as results folders only, e.g. in notebooks). */
export const NO_ANALYSES: StudyAnalyses = { recall: [], labels: [], cka: [] };

export function loadAnalyses(study: Study, inputs: Omit<StudyInputs, 'results'>, warnings: Warnings): StudyAnalyses {
  const tryRead = <T>(what: string, read: () => T): T | undefined => {
    try {
      return read();
    } catch (err) {
      warnings.add(`${describeError(err)}; ${what} left out`);
      return undefined;
    }
  };
  const dsName = (key: string) => study.datasets.find((d) => d.key === key)?.name ?? datasetName(key);
  const mName = (id: string) => study.models.find((m) => m.id === id)?.name ?? modelName(id);

  const given = inputs.recall
    .map((d) => tryRead('its class recall', () => readClassRecall(d)))
    .filter((r): r is ClassRecall => r !== undefined);
  const recall: StudyAnalyses['recall'] = [];
  for (const ds of study.datasets) {
    for (const r of ds.results) {
      const kind = r.source.manifest?.kind;
      if (kind === 'fusion' || kind === 'weighted-probe' || r.layers.length < 2) continue;
      const data =
        given.find((g) => resolve(g.results) === resolve(r.source.dir)) ??
        given.find((g) => g.model === r.model.id && g.dataset === ds.key) ??
        (existsSync(join(r.source.dir, 'confusion'))
          ? tryRead(`${r.model.name}'s class recall`, () => classRecall(r.source, { warnings }))
          : undefined);
      if (data) recall.push({ dataset: ds, model: r.model, data });
    }
  }

  const labels = inputs.labels
    .map((d) => tryRead('its label-efficiency curve', () => readLabelCurve(d)))
    .filter((c): c is LabelCurve => c !== undefined)
    .map((curve) => ({ dataset: dsName(curve.dataset), model: mName(curve.model), curve }));

  const cka = inputs.cka
    .map((file) => {
      const data = tryRead('its layer similarity', () => readCka(file));
      if (!data) return undefined;
      const names = new Map(data.models.map((m) => [m.name, ckaModelName(m, data, study)]));
      const key = data.models.find((m) => m.dataset)?.dataset;
      return { file, dataset: key ? dsName(key) : undefined, names, data };
    })
    .filter((c): c is StudyAnalyses['cka'][number] => c !== undefined);
  return { recall, labels, cka };
}

/**
 * The name a CKA figure shows for one of the file's models: the study's name when the file records a model id
 * the study has, and holds that id only once (two feature sets of one model keep the file's names); else the file's.
 */
function ckaModelName(m: CkaModel, data: LayerSimilarity, study: Study): string {
  const own = m.model ? study.models.find((s) => s.id === m.model) : undefined;
  const once = data.models.filter((x) => x.model === m.model).length === 1;
  return own && once ? own.name : m.name;
}

/**
 * Where a label-efficiency curve takes its settings: the layer (the results folder's best validation
 * layer, probe/compare.ts bestLayer, or one given), the protocol and seeds (the results folder's, so
 * that its own rows for the layer are the curve's `all` point without retraining), and the split (the
 * results folder's split.csv, so val and test are the probe run's). Also the checks that the features
 * and the results folder describe the same clips.
 */
import { existsSync } from 'node:fs';
import { DEFAULT_PROTOCOL, bestLayer, type Protocol } from '../probe/index.js';
import { layerIndex, manifestSeeds, openScoredResults, resultsPath, type ScoredResults } from '../results/index.js';
import { BioprobeError, UsageError } from '../util/errors.js';
import { parseInteger } from '../util/options.js';
import type { Partition } from '../probe/data.js';
import type { FeatureSet } from '../probe/features.js';

export interface CurveSettings {
  layer: number;
  layerFrom: string;
  protocol: Protocol;
  seeds: number[];
  /** The split file to use (given, or the results folder's split.csv); undefined: the paper's split. */
  splitFile?: string;
  results?: ScoredResults;
}

export interface SourceOptions {
  results?: string;
  layer?: number;
  seed?: number;
  seeds?: number;
  split?: string;
  protocol?: Protocol;
}

/** The protocol a results manifest records, when it records every field of one. */
function protocolOf(r: ScoredResults): Protocol | undefined {
  const p = r.manifest.protocol as Partial<Protocol> | undefined;
  if (!p) return undefined;
  const keys = Object.keys(DEFAULT_PROTOCOL) as (keyof Protocol)[];
  return keys.every((k) => p[k] !== undefined) ? ({ ...p } as Protocol) : undefined;
}

/** Resolve layer, protocol, seeds and split (see the file comment). */
export function curveSettings(o: SourceOptions): CurveSettings {
  if (o.results === undefined && o.layer === undefined)
    throw new UsageError('give --results DIR (its best validation layer is used) or --layer N');
  const r = o.results === undefined ? undefined : openScoredResults(o.results);
  if (r && r.manifest.kind !== undefined && r.manifest.kind !== 'probe') {
    throw new BioprobeError(
      'results',
      'not-probe-results',
      `a ${r.manifest.kind} results folder has no per-layer rows to choose a layer from`,
      { file: r.dir, hint: 'point --results at the --out folder of `bioprobe probe`' },
    );
  }
  if (o.seeds !== undefined) parseInteger('seeds', o.seeds, { min: 1 });
  if (o.seed !== undefined) parseInteger('seed', o.seed);
  const layer = o.layer ?? bestLayer(r!, 'val').layer;
  const resultsSeeds = r ? manifestSeeds(r) : [];
  const seeds =
    o.seed === undefined && o.seeds === undefined && resultsSeeds.length > 0
      ? resultsSeeds
      : Array.from({ length: o.seeds ?? 3 }, (_, k) => (o.seed ?? resultsSeeds[0] ?? 0) + k);
  const splitFile = o.split ?? (r && existsSync(resultsPath(r.dir, 'split')) ? resultsPath(r.dir, 'split') : undefined);
  return {
    layer,
    layerFrom: o.layer !== undefined ? '--layer' : `best-val of ${r!.dir}`,
    protocol: o.protocol ?? (r && protocolOf(r)) ?? DEFAULT_PROTOCOL,
    seeds,
    splitFile,
    results: r,
  };
}

/** The results folder's val and test rows for `layer`, one per seed of `seeds` (the `all` point), or a usage error saying what differs. */
export function allRowsFromResults(s: CurveSettings, protocolGiven: boolean): { seed: number; val_uar: number; test_uar: number }[] {
  const r = s.results;
  if (!r) throw new UsageError('the "all" point reuses a probe results folder\'s rows: give --results DIR, or --retrain-all');
  const recorded = protocolOf(r);
  if (!recorded)
    throw new UsageError(`${r.dir}'s manifest records no full protocol, so its rows cannot stand for the "all" point: pass --retrain-all`);
  if (protocolGiven && JSON.stringify(recorded) !== JSON.stringify(s.protocol)) {
    throw new UsageError(
      `the protocol asked for differs from ${r.dir}'s (${JSON.stringify(recorded)}): its rows cannot stand for the "all" point; pass --retrain-all`,
    );
  }
  return s.seeds.map((seed) => {
    const pick = (split: string) =>
      r.results.find((row) => layerIndex(row) === s.layer && Number(row.seed) === seed && row.split === split);
    const val = pick('val');
    const test = pick('test');
    if (!val || !test) {
      const have = [...new Set(r.results.filter((row) => layerIndex(row) === s.layer).map((row) => row.seed))];
      throw new UsageError(
        `${r.dir} has layer ${s.layer} for seeds [${have.join(', ')}], not seed ${seed}: the "all" point reuses those rows; choose --seed/--seeds among them, or pass --retrain-all`,
      );
    }
    return { seed, val_uar: val.uar, test_uar: test.uar };
  });
}

/** The features and the results folder must be the same model's, with the same classes and val/test clips. */
export function checkResultsMatch(r: ScoredResults, fs: FeatureSet, p: Partition): void {
  const hint = 'give the --features folder the probe run used (and its split)';
  const model = r.manifest.model;
  if (model !== undefined && model !== fs.model)
    throw new BioprobeError('results', 'model-differs', `the results are model "${model}" but the features ${fs.dir} are "${fs.model}"`, {
      file: r.dir,
      hint,
    });
  const dataset = r.manifest.dataset;
  if (dataset !== undefined && dataset !== fs.dataset)
    throw new BioprobeError(
      'results',
      'dataset-differs',
      `the results are of dataset "${dataset}" but the features ${fs.dir} are of "${fs.dataset}"`,
      { file: r.dir, hint },
    );
  const same = (a: ArrayLike<number>, b: ArrayLike<number>) =>
    a.length === b.length && Array.prototype.every.call(a, (v: number, i: number) => v === b[i]);
  if (!same(r.predictionRows.val, p.val) || !same(r.predictionRows.test, p.test)) {
    throw new BioprobeError(
      'results',
      'split-differs',
      'the val/test clips of the results (rows.json) differ from the split resolved on the features',
      { file: r.dir, hint },
    );
  }
}

/**
 * `bioprobe fuse`: late fusion of several models' probes (the paper's text). Per model, its best layer
 * is chosen on validation UAR ("fusion", the honest variant) and, labelled as such, on test UAR
 * ("fusion-test-chosen", the paper's Table III choice, which leaks test labels into the choice). The
 * chosen layers' class posteriors are averaged per clip, then argmax, seed by seed: seed k of every
 * input with seed k of the others (inputs run with --seeds K), as many fused seeds as the input with
 * the fewest has; scores are then means over the fused seeds, like the probe's.
 * Writes a results directory in the probe's formats: predictions/<variant>.<val|test>.npy,
 * confusion/<variant>.<val|test>.json, results.csv (layer = variant), fusion.json (the choices),
 * and the inputs' classes.json, rows.json, split.csv, clips.csv.
 */
import { mkdirSync } from 'node:fs';
import { bestLayer, checkAligned, targets, type LayerChoice } from '../probe/index.js';
import {
  RESULTS_FORMAT,
  accuracy,
  argmaxRows,
  commonUarClasses,
  confusionMatrix,
  uarFromConfusion,
  copyParts,
  manifestSeeds,
  openScoredResults,
  readPosteriors,
  resultName,
  seedCount,
  writeFusionJson,
  writeResultsCsv,
  writeResultsManifest,
  writeSplitOutputs,
  type ResultRow,
  type ScoredResults,
} from '../results/index.js';
import { BioprobeError } from '../util/errors.js';
import { VERSION } from '../util/version.js';

export type FusionVariant = 'fusion' | 'fusion-test-chosen';

export interface FusionOutcome {
  variant: FusionVariant;
  members: (LayerChoice & { dir: string })[];
  /** Fused seeds (pairs of the inputs' seeds by index). */
  seeds: number;
  /** Means over the fused seeds. */
  val: { uar: number; accuracy: number };
  test: { uar: number; accuracy: number };
  /** Test UAR of each fused seed. */
  testUarBySeed: number[];
}

/** Mean of the members' posteriors [n, C]. */
export function averagePosteriors(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts[0].length);
  for (const p of parts) for (let i = 0; i < out.length; i++) out[i] += p[i];
  for (let i = 0; i < out.length; i++) out[i] /= parts.length;
  return out;
}

function fuseVariant(inputs: ScoredResults[], variant: FusionVariant, out: string, rows: ResultRow[]): FusionOutcome {
  const first = inputs[0];
  const C = first.classes.length;
  const members = inputs.map((r) => ({ ...bestLayer(r, variant === 'fusion' ? 'val' : 'test'), dir: r.dir }));
  const K = Math.min(...inputs.map(seedCount));
  const uarClasses = commonUarClasses(inputs);
  const seedIds = manifestSeeds(first);
  const ys = { val: targets(first, 'val'), test: targets(first, 'test') };
  const scores: Record<'val' | 'test', { uar: number; accuracy: number }> = { val: { uar: 0, accuracy: 0 }, test: { uar: 0, accuracy: 0 } };
  const testUarBySeed: number[] = [];
  for (let k = 0; k < K; k++) {
    for (const split of ['val', 'test'] as const) {
      const y = ys[split];
      const post = averagePosteriors(inputs.map((r, m) => readPosteriors(r, resultName(members[m].layer), split, k)));
      const pred = argmaxRows(post, y.length, C);
      const conf = confusionMatrix(pred, y, C);
      const score = { uar: uarFromConfusion(conf, C, uarClasses), accuracy: accuracy(pred, y) };
      scores[split].uar += score.uar / K;
      scores[split].accuracy += score.accuracy / K;
      if (split === 'test') testUarBySeed.push(score.uar);
      writeSplitOutputs(out, variant, split, k, seedIds[k] ?? 0, post, C, conf, first.classes);
      rows.push({
        model: members.map((m) => m.model).join('+'),
        dataset: String(first.manifest.dataset ?? ''),
        layer: variant,
        seed: seedIds[k] ?? '',
        split,
        uar: score.uar,
        accuracy: score.accuracy,
        select: variant === 'fusion' ? 'best layer on val' : 'best layer on test (leaks)',
        n: y.length,
      });
    }
  }
  return { variant, members, seeds: K, val: scores.val, test: scores.test, testUarBySeed };
}

/** Fuse the results directories `dirs` into `out`; returns both variants. */
export function fuseResults(dirs: readonly string[], out: string): FusionOutcome[] {
  if (dirs.length < 2) throw new BioprobeError('usage', 'fuse-inputs', `fusion needs at least 2 results directories, got ${dirs.length}`);
  const inputs = dirs.map((d) => openScoredResults(d));
  for (const r of inputs.slice(1)) checkAligned(inputs[0], r);
  mkdirSync(out, { recursive: true });
  const rows: ResultRow[] = [];
  const outcomes = (['fusion', 'fusion-test-chosen'] as const).map((v) => fuseVariant(inputs, v, out, rows));
  writeResultsCsv(out, rows);
  copyParts(inputs[0].dir, out, ['classes', 'rows', 'split', 'clips']);
  writeFusionJson(out, outcomes);
  writeResultsManifest(out, {
    format: RESULTS_FORMAT,
    kind: 'fusion',
    created: new Date().toISOString(),
    model: outcomes[0].members.map((m) => m.model).join('+'),
    dataset: String(inputs[0].manifest.dataset ?? ''),
    rule: "average of class posteriors of each model's best layer, then argmax; seed by seed (seed k of every input together), scores averaged over seeds",
    seeds: manifestSeeds(inputs[0]).slice(0, outcomes[0].seeds),
    protocol: { uarClasses: commonUarClasses(inputs) },
    variants: {
      fusion: 'best layer per model chosen on validation UAR',
      'fusion-test-chosen': "best layer chosen on test UAR, as the paper's Table III (leaks)",
    },
    inputs: inputs.map((r) => ({ dir: r.dir, model: r.manifest.model, dataset: r.manifest.dataset, seeds: r.manifest.seeds })),
    versions: { bioprobe: VERSION },
  });
  return outcomes;
}

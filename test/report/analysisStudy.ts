/**
 * A study folder with every analysis beside a probe (written at test time, a few ms): the class-recall
 * fixture's probe results (confusion counts, 3 seeds), a weighted-probe results folder with
 * layer_weights.csv, a label-efficiency folder in labeff's format and a cka.json of two models.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeRecallResults } from '../analysis/recallFixture.js';

export const MODEL = 'hubert-base';
export const DATASET = 'folder:/data/demo';
/** layer_weights.csv's selected-epoch weights per seed (layers 0-3): mean and std are checked against these. */
export const WEIGHTS = { 12345: [0.1, 0.2, 0.3, 0.4], 12346: [0.2, 0.2, 0.2, 0.4], 12347: [0.15, 0.25, 0.35, 0.25] } as const;

export function writeAnalysisStudy(root: string, opts: { labels?: boolean; cka?: boolean; weighted?: boolean } = {}): string {
  writeRecallResults(join(root, 'probe'), MODEL, DATASET);
  if (opts.weighted !== false) {
    const w = join(root, 'weighted');
    mkdirSync(w, { recursive: true });
    const rows = ['model,dataset,layer,seed,split,uar,accuracy'];
    for (const [s, u] of [
      [12345, 0.71],
      [12346, 0.69],
      [12347, 0.73],
    ])
      rows.push(`${MODEL},${DATASET},all-weighted,${s},val,${u},0.7`, `${MODEL},${DATASET},all-weighted,${s},test,${u - 0.01},0.7`);
    writeFileSync(join(w, 'results.csv'), rows.join('\n') + '\n');
    writeFileSync(
      join(w, 'manifest.json'),
      JSON.stringify({
        format: 'bioprobe.results/1',
        kind: 'weighted-probe',
        model: MODEL,
        dataset: DATASET,
        seeds: [12345, 12346, 12347],
        name: 'all-weighted',
        protocol: {},
      }),
    );
    const lw = ['layer,seed,epoch,selected,weight,logit'];
    for (const [seed, ws] of Object.entries(WEIGHTS)) {
      ws.forEach((x, l) => {
        lw.push(`${l},${seed},1,0,0.25,0`);
        lw.push(`${l},${seed},2,1,${x},${Math.log(x)}`);
      });
    }
    writeFileSync(join(w, 'layer_weights.csv'), lw.join('\n') + '\n');
  }
  if (opts.labels !== false) {
    const d = join(root, 'labels');
    mkdirSync(d, { recursive: true });
    const rows = ['model,dataset,layer,shots,seed,train_clips,val_uar,test_uar'];
    for (const [i, k] of ['1', '2', '4', '8', 'all'].entries()) {
      for (const s of [1, 2, 3])
        rows.push(`${MODEL},${DATASET},3,${k},${s},${k === 'all' ? 300 : Number(k) * 5},0.5,${(0.3 + 0.1 * i + 0.01 * s).toFixed(3)}`);
    }
    writeFileSync(join(d, 'label_efficiency.csv'), rows.join('\n') + '\n');
    writeFileSync(
      join(d, 'manifest.json'),
      JSON.stringify({
        format: 'bioprobe.labels/1',
        kind: 'label-efficiency',
        model: MODEL,
        dataset: DATASET,
        layer: 3,
        layer_from: 'best-val',
        shots: [1, 2, 4, 8, 'all'],
        seeds: [1, 2, 3],
      }),
    );
  }
  if (opts.cka !== false) {
    const d = join(root, 'cka');
    mkdirSync(d, { recursive: true });
    const m = (a: number, b: number) =>
      Array.from({ length: a }, (_, i) => Array.from({ length: b }, (_, j) => (i === 1 && j === 1 ? null : 1 / (1 + Math.abs(i - j)))));
    writeFileSync(
      join(d, 'cka.json'),
      JSON.stringify({
        format: 'bioprobe.cka/1',
        mode: 'exact',
        method: 'feature-space',
        standardize: false,
        clips: { total: 64, used: 60, excluded: 4 },
        models: [
          { name: MODEL, model: MODEL, dataset: DATASET, layers: [0, 1, 2, 3], dim: 8 },
          { name: 'aves-bio', model: 'aves-bio', dataset: DATASET, layers: [0, 1, 2], dim: 8 },
        ],
        pairs: [
          { a: MODEL, b: MODEL, rows: 4, cols: 4, cka: m(4, 4) },
          { a: MODEL, b: 'aves-bio', rows: 4, cols: 3, cka: m(4, 3) },
          { a: 'aves-bio', b: 'aves-bio', rows: 3, cols: 3, cka: m(3, 3) },
        ],
      }),
    );
  }
  return root;
}

/** What scoring requires of a results folder (fuse, compare): each missing part refused naming its file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeClassesFile } from '../../lib/datasets/classes.js';
import {
  RESULTS_FORMAT,
  openScoredResults,
  readPosteriors,
  writePredictionRows,
  writeResultsCsv,
  writeResultsManifest,
  writeSplitOutputs,
  type ResultRow,
} from '../../lib/results/index.js';
import { BioprobeError } from '../../lib/util/errors.js';
import { tempDir } from '../report/temp.js';

const rows: ResultRow[] = [
  {
    model: 'm',
    dataset: 'd',
    layer: 0,
    seed: 1,
    split: 'val',
    uar: 0.5,
    accuracy: 0.5,
    epochs: 3,
    best_epoch: 2,
    selected_epoch: 2,
    select: 'best-val',
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: a results.csv cell as written (6 significant digits)
    loss: 0.693147,
    n: 2,
  },
  {
    model: 'm',
    dataset: 'd',
    layer: 0,
    seed: 1,
    split: 'test',
    uar: 1 / 3,
    accuracy: 0.5,
    epochs: 3,
    best_epoch: 2,
    selected_epoch: 2,
    select: 'best-val',
    loss: 0.7,
    n: 2,
  },
];

function folder(): string {
  const dir = tempDir('scored');
  writeResultsCsv(dir, rows);
  writeResultsManifest(dir, {
    format: RESULTS_FORMAT,
    kind: 'probe',
    model: 'm',
    dataset: 'd',
    created: 'now',
    seeds: [1, 2],
    protocol: { uarClasses: 'all' },
    versions: {},
  });
  writeClassesFile(dir, ['a', 'b']);
  writePredictionRows(dir, { val: [0, 1], test: [2, 3] });
  writeFileSync(
    join(dir, 'clips.csv'),
    'index,path,label,start,end,status\n0,x.wav,a,,,ok\n1,y.wav,b,,,ok\n2,z.wav,a,,,ok\n3,w.wav,b,,,ok\n',
  );
  return dir;
}

const code = (c: string, re: RegExp) => (e: unknown) =>
  e instanceof BioprobeError && e.kind === 'results' && e.code === c && re.test(e.oneLine());

test('results.csv is written in the results number format (6 significant digits) and read back as fractions', () => {
  const dir = folder();
  assert.equal(
    readFileSync(join(dir, 'results.csv'), 'utf8'),
    'model,dataset,layer,seed,split,uar,accuracy,epochs,best_epoch,selected_epoch,select,loss,n\n' +
      'm,d,0,1,val,0.500000,0.500000,3,2,2,best-val,0.693147,2\nm,d,0,1,test,0.333333,0.500000,3,2,2,best-val,0.700000,2\n',
  );
  const r = openScoredResults(dir);
  assert.deepEqual(r.results[1], { ...rows[1], uar: 0.333333, loss: 0.7 });
  assert.deepEqual(r.manifest.seeds, [1, 2]);
});

test('a folder without a part scoring needs is refused, naming the file', () => {
  const dir = tempDir('partial');
  writeResultsCsv(dir, rows);
  assert.throws(() => openScoredResults(dir), code('not-results', /manifest\.json is missing/));
  const broken = folder();
  writeFileSync(join(broken, 'classes.json'), '{"x": 1}');
  assert.throws(() => openScoredResults(broken), code('not-results', /classes\.json is unreadable \(not a JSON array of class names/));
  assert.throws(() => openScoredResults(join(dir, 'nope')), code('not-results', /results\.csv is missing/));
});

test('posteriors: a missing file or seed is no-predictions naming it; a wrong shape is predictions-shape', () => {
  const dir = folder();
  const r = openScoredResults(dir);
  assert.throws(
    () => readPosteriors(r, 'layer_00', 'test'),
    code('no-predictions', /predictions\/layer_00\.test\.npy: predictions file missing/),
  );
  assert.throws(() => readPosteriors(r, 'layer_00', 'test', 5), code('no-predictions', /lists no seed number 6/));
  writeSplitOutputs(dir, 'layer_00', 'test', 1, 2, new Float32Array(6), 2, new Int32Array(4), ['a', 'b']);
  assert.throws(
    () => readPosteriors(r, 'layer_00', 'test', 1),
    code('predictions-shape', /seed_2\/layer_00\.test\.npy: predictions have shape \[3,2\], expected \[2, 2\]/),
  );
  writeSplitOutputs(dir, 'layer_00', 'test', 0, 1, Float32Array.from([0.9, 0.1, 0.2, 0.8]), 2, Int32Array.from([1, 0, 0, 1]), ['a', 'b']);
  assert.deepEqual([...readPosteriors(r, 'layer_00', 'test')], [...Float32Array.from([0.9, 0.1, 0.2, 0.8])]);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'confusion', 'layer_00.test.json'), 'utf8')).matrix, [
    [1, 0],
    [0, 1],
  ]);
});

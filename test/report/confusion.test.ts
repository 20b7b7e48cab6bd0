import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeNpy } from '../../lib/util/npy.js';
import { datasetConfusion, uarOf } from '../../lib/report/confusion.js';
import { Warnings } from '../../lib/util/warnings.js';
import { loadResultsDir } from '../../lib/results/index.js';
import { buildStudy } from '../../lib/report/study.js';
import { tempDir } from './temp.js';

test('uarOf follows torchmetrics: absent-but-predicted classes count 0, unseen classes are left out', () => {
  // class 0: 2/2 right; class 1: 1/2 right (one predicted as 2); class 2: absent but predicted once; class 3: never seen.
  const counts = [
    [2, 0, 0, 0],
    [0, 1, 1, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
  ];
  assert.equal(uarOf(counts), (100 * (1 + 0.5 + 0)) / 3);
  // a folder scored over all classes (torchmetrics 0.11, the paper preset): every class counts, an unseen one as 0
  assert.equal(uarOf(counts, 'all'), (100 * (1 + 0.5 + 0 + 0)) / 4);
});

function dir(withFusion: boolean): string {
  const d = tempDir('cm');
  mkdirSync(join(d, 'predictions'));
  const rows = ['model,dataset,layer,seed,split,uar'];
  for (const l of [0, 1]) for (const s of ['val', 'test']) rows.push(`m,d,${l},1,${s},${l === 1 ? 0.8 : 0.5}`);
  if (withFusion) rows.push('fusion,d,fusion,1,test,0.9');
  writeFileSync(join(d, 'results.csv'), rows.join('\n'));
  writeFileSync(join(d, 'classes.json'), JSON.stringify(['a', 'b', 'c']));
  // items 0..5; test = 1, 3, 4 with labels b, a, c; item 5 is test but its clip was skipped.
  writeFileSync(join(d, 'split.csv'), 'index,path,label,split\n0,x,a,train\n1,x,b,test\n2,x,c,val\n3,x,a,test\n4,x,c,test\n5,x,b,test\n');
  writeFileSync(
    join(d, 'clips.csv'),
    'index,path,label,start,end,status\n0,x,a,,,ok\n1,x,b,,,ok\n2,x,c,,,ok\n3,x,a,,,ok\n4,x,c,,,ok\n5,x,b,,,unreadable\n',
  );
  const post = (rows: number[][]) => new Float32Array(rows.flat());
  writeNpy(
    join(d, 'predictions', 'layer_01.test.npy'),
    post([
      [0.1, 0.8, 0.1],
      [0.7, 0.2, 0.1],
      [0.6, 0.1, 0.3],
    ]),
    [3, 3],
  );
  writeNpy(join(d, 'predictions', 'layer_01.val.npy'), post([[0.1, 0.1, 0.8]]), [1, 3]);
  if (withFusion)
    writeNpy(
      join(d, 'predictions', 'fusion.test.npy'),
      post([
        [0, 1, 0],
        [1, 0, 0],
        [0, 0, 1],
      ]),
      [3, 3],
    );
  return d;
}

test("the best layer's predictions give the confusion matrix when there is no fusion (skipped clips dropped)", () => {
  const w = new Warnings();
  const s = buildStudy([loadResultsDir(dir(false), w)], w);
  const c = datasetConfusion(s.datasets[0], w)!;
  assert.equal(c.isFusion, false);
  assert.equal(c.source, 'm, layer 1');
  assert.deepEqual(c.counts, [
    [1, 0, 0],
    [0, 1, 0],
    [1, 0, 0],
  ]);
  assert.equal(c.n, 3);
  assert.ok(Math.abs(c.uar - (100 * 2) / 3) < 1e-12, String(c.uar));
});

test("the fusion's predictions are preferred", () => {
  const w = new Warnings();
  const s = buildStudy([loadResultsDir(dir(true), w)], w);
  const c = datasetConfusion(s.datasets[0], w)!;
  assert.equal(c.isFusion, true);
  assert.deepEqual(c.counts, [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ]);
  assert.equal(c.uar, 100);
});

test('predictions that do not fit the split are left out with a warning', () => {
  const d = dir(false);
  writeNpy(join(d, 'predictions', 'layer_01.test.npy'), new Float32Array(6), [2, 3]);
  const w = new Warnings();
  const s = buildStudy([loadResultsDir(d, w)], w);
  assert.equal(datasetConfusion(s.datasets[0], w), undefined);
  assert.ok(
    w.list.some((m) => m.includes('2 rows but split.csv has 3 test items')),
    w.list.join('\n'),
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BioprobeError } from '../../lib/util/errors.js';
import { discoverResultsDirs, layerIndex, loadResultsDir } from '../../lib/results/index.js';
import { Warnings } from '../../lib/util/warnings.js';
import { writeFixtureStudy } from '../report/fixtures.js';
import { tempDir } from '../report/temp.js';

const tmp = () => tempDir('load');

test('discoverResultsDirs finds every results directory below a folder, sorted', () => {
  const root = tmp();
  const dirs = writeFixtureStudy(root);
  assert.deepEqual(discoverResultsDirs([root]), [...dirs].sort());
  assert.deepEqual(discoverResultsDirs([dirs[1], dirs[0], dirs[1]]), [dirs[1], dirs[0]]);
});

test('discoverResultsDirs names the folder when nothing is there', () => {
  const root = tmp();
  assert.throws(
    () => discoverResultsDirs([root]),
    (e: unknown) => e instanceof BioprobeError && e.code === 'results-empty' && e.oneLine().includes(root),
  );
  assert.throws(
    () => discoverResultsDirs([join(root, 'nope')]),
    (e: unknown) => e instanceof BioprobeError && e.code === 'results-missing',
  );
});

test('UAR stored as fractions is kept; percent (other tools) is scaled to fractions', () => {
  const root = tmp();
  const dirs = writeFixtureStudy(root);
  const frac = loadResultsDir(dirs[0]); // IMV: fractions
  const pct = loadResultsDir(dirs[5]); // Abzaliev: percent
  for (const r of [...frac.results, ...pct.results]) assert.ok(r.uar > 0.01 && r.uar <= 1, `uar ${r.uar}`);
  assert.equal(layerIndex(frac.results[0]), 0);
  assert.equal(frac.classes?.length, 5);
  assert.ok(frac.clips?.every((c) => Number.isFinite(c.record.duration_s)));
  assert.ok(
    pct.clips?.every((c) => c.item.end! > c.item.start!),
    'segments without a duration column',
  );
  assert.ok(frac.predictions('layer_03', 'test'));
  assert.equal(frac.predictions('layer_99', 'test'), undefined);
});

test('results.csv without a required column is a one-line error naming the file', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'results.csv'), 'model,dataset,layer,split,uar\nm,d,0,test,0.5\n');
  assert.throws(
    () => loadResultsDir(dir),
    (e: unknown) => e instanceof BioprobeError && /results\.csv: missing column "seed"/.test(e.oneLine()),
  );
});

test('broken optional files are warnings, not failures; non-numeric uar rows are dropped', () => {
  const dir = tmp();
  mkdirSync(join(dir, 'predictions'));
  writeFileSync(join(dir, 'results.csv'), 'model,dataset,layer,seed,split,uar\nm,d,0,1,test,0.5\nm,d,1,1,test,n/a\n');
  writeFileSync(join(dir, 'manifest.json'), '{not json');
  writeFileSync(join(dir, 'classes.json'), '{"x": 1}');
  writeFileSync(join(dir, 'split.csv'), 'a,b\n1,2\n');
  const w = new Warnings();
  const r = loadResultsDir(dir, w);
  assert.equal(r.results.length, 1);
  assert.equal(r.manifest, undefined);
  assert.equal(r.classes, undefined);
  assert.equal(r.split, undefined);
  assert.equal(w.list.length, 4, w.list.join('\n'));
  assert.ok(w.list.some((m) => m.includes('manifest.json') && m.includes('not valid JSON')));
});

/**
 * Label efficiency (lib/analysis/labelEfficiency*.ts) on small synthetic features: the subsets are
 * nested and stratified, val/test are the probe run's, the `all` point is the results folder's rows
 * (and retraining it, or a k above every class size, gives those same numbers), the files are
 * deterministic (same bytes on 1 and 2 threads, and on a rerun that trains nothing), the CLI's happy
 * path and bad input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli.test.js';
import { writeSyntheticFeatures } from '../../lib/probe/synthetic.js';
import { runProbe } from '../../lib/probe/run.js';
import { DEFAULT_PROTOCOL } from '../../lib/probe/protocol.js';
import { bestLayer } from '../../lib/probe/compare.js';
import { loadResultsDir } from '../../lib/results/index.js';
import {
  LABEL_COLUMNS,
  classOrders,
  labelEfficiencyCurve,
  parseShots,
  readLabelEfficiency,
  runLabelEfficiency,
  shotSubset,
  type LabelEfficiencyOptions,
} from '../../lib/analysis/index.js';
import { BioprobeError, UsageError } from '../../lib/util/errors.js';

const root = mkdtempSync(join(tmpdir(), 'bioprobe-labels-'));
const feats = join(root, 'features');
const results = join(root, 'results');
const protocol = { ...DEFAULT_PROTOCOL, epochs: 8 };
writeSyntheticFeatures(feats, { n: 300, dim: 16, classes: 4, layers: 2, seed: 5, separation: 0.4 });
test.after(() => rmSync(root, { recursive: true, force: true }));
const probed = runProbe({ features: feats, out: results, seed: 7, seeds: 3, protocol, threads: 1 });
const csv = (dir: string) => readFileSync(join(dir, 'label_efficiency.csv'), 'utf8');
const run = (name: string, o: Partial<LabelEfficiencyOptions> = {}) =>
  runLabelEfficiency({ features: feats, out: join(root, name), results, ...o });

test('subsets: stratified (min(k, n_c) per class), nested over k, sorted train clips, seeded', () => {
  // 30 clips: class 0 has 12 train clips, class 1 has 5, class 2 has 1, clips 27-29 are not train
  const y = Int32Array.from({ length: 30 }, (_, i) => (i < 12 ? 0 : i < 17 ? 1 : i < 18 ? 2 : 0));
  const train = Int32Array.from({ length: 18 }, (_, i) => i);
  const orders = classOrders(train, y, 3, 4);
  let prev = new Set<number>();
  for (const k of [1, 2, 4, 8, 16]) {
    const s = shotSubset(orders, k);
    assert.deepEqual(
      Array.from(s),
      [...s].sort((a, b) => a - b),
      'ascending clip order',
    );
    const per = [0, 0, 0];
    for (const c of s) {
      assert.ok(c < 18, 'only train clips');
      per[y[c]]++;
    }
    assert.deepEqual(per, [Math.min(k, 12), Math.min(k, 5), Math.min(k, 1)], `k = ${k}: each class gives k clips or all it has`);
    for (const c of prev) assert.ok(s.includes(c), `k = ${k} holds the smaller subset's clip ${c}`);
    prev = new Set(s);
  }
  assert.deepEqual(Array.from(shotSubset(orders, 'all')), Array.from(train));
  assert.deepEqual(classOrders(train, y, 3, 4), orders, 'same seed, same order');
  assert.notDeepEqual(
    Array.from(shotSubset(classOrders(train, y, 3, 5), 2)),
    Array.from(shotSubset(orders, 2)),
    'another seed picks other clips',
  );
});

test('shots parse: increasing positive integers, then optionally all', () => {
  assert.deepEqual(parseShots('--shots', '1, 2,8,all'), [1, 2, 8, 'all']);
  for (const bad of ['2,1', '0,1', 'all,1', '1,1', 'x', '', '1.5'])
    assert.throws(
      () => parseShots('--shots', bad),
      (e: unknown) => e instanceof UsageError && /--shots/.test(e.message),
      bad,
    );
});

test('the curve: best validation layer, all = the results rows, val/test and protocol of the probe run', async () => {
  await probed;
  const r = await run('curve', { shots: [1, 2, 4, 64, 'all'] });
  const res = loadResultsDir(results);
  const best = bestLayer(res, 'val').layer;
  const rm = res.manifest as Record<string, any>;
  assert.equal(r.manifest.layer, best);
  assert.equal(r.manifest.layer_from, `best-val of ${results}`);
  assert.deepEqual(r.manifest.seeds, [7, 8, 9], "seeds default to the results folder's");
  assert.deepEqual(r.manifest.protocol, protocol, 'protocol taken from the results manifest');
  assert.deepEqual(r.manifest.counts, { train: rm.counts.train, val: rm.counts.val, test: rm.counts.test }, "val/test are the probe run's");
  assert.deepEqual(r.manifest.split, { file: join(results, 'split.csv') });
  assert.equal(r.manifest.all_from, 'results');
  assert.equal(r.manifest.format, 'bioprobe.labels/1');
  assert.equal(r.manifest.kind, 'label-efficiency');
  assert.deepEqual(
    Object.keys(JSON.parse(readFileSync(join(root, 'curve', 'manifest.json'), 'utf8'))).sort(),
    [
      'format',
      'kind',
      'model',
      'dataset',
      'layer',
      'layer_from',
      'shots',
      'seeds',
      'protocol',
      'split',
      'counts',
      'all_from',
      'seconds',
      'versions',
      'created',
    ].sort(),
  );
  assert.equal(r.trained, 4 * 3);
  const text = csv(join(root, 'curve'));
  assert.equal(text.split('\n')[0], LABEL_COLUMNS.join(','));
  assert.equal(text, csv(join(root, 'curve')));
  const read = readLabelEfficiency(join(root, 'curve'));
  assert.deepEqual(
    read.rows,
    r.rows.map((x) => ({ ...x, val_uar: Number(x.val_uar.toPrecision(6)), test_uar: Number(x.test_uar.toPrecision(6)) })),
  );
  assert.equal(read.rows.length, 5 * 3);
  const uar = (seed: number, split: string) => res.results.find((x) => x.layer === best && x.seed === seed && x.split === split)!.uar;
  for (const row of read.rows.filter((x) => x.shots === 'all')) {
    assert.equal(row.val_uar, uar(row.seed, 'val'));
    assert.equal(row.test_uar, uar(row.seed, 'test'));
    assert.equal(row.train_clips, rm.counts.train);
  }
  // 64 clips per class is more than any class has: the subset is the whole train split, and the probe
  // trained on it here is the probe run's own (same rows, standardisation, val/test, init and batches)
  for (const row of read.rows.filter((x) => x.shots === 64)) {
    assert.equal(row.train_clips, rm.counts.train);
    assert.equal(row.val_uar, uar(row.seed, 'val'), `seed ${row.seed}: val UAR`);
    assert.equal(row.test_uar, uar(row.seed, 'test'), `seed ${row.seed}: test UAR`);
  }
  for (const row of read.rows.filter((x) => x.shots === 1)) assert.equal(row.train_clips, 4, 'one clip of each of the 4 classes');
  const curve = labelEfficiencyCurve(read.rows);
  assert.deepEqual(
    curve.map((c) => c.shots),
    [1, 2, 4, 64, 'all'],
  );
  const at2 = read.rows.filter((x) => x.shots === 2).map((x) => x.test_uar);
  assert.equal(curve[1].seeds, 3);
  assert.ok(Math.abs(curve[1].test_uar_mean - (at2[0] + at2[1] + at2[2]) / 3) < 1e-12);
  assert.equal(curve[1].test_uar_min, Math.min(...at2));
  assert.equal(curve[1].test_uar_max, Math.max(...at2));
  // the reader names the file and line of a bad cell
  const broken = join(root, 'broken');
  mkdirSync(broken);
  writeFileSync(join(broken, 'label_efficiency.csv'), text.replace(/\n([^,\n]*,[^,\n]*,\d+),1,/, '\n$1,one,'));
  assert.throws(
    () => readLabelEfficiency(broken),
    (e: unknown) =>
      e instanceof BioprobeError &&
      /line 2: shots must be an integer, got "one"/.test(e.message) &&
      e.file === join(broken, 'label_efficiency.csv'),
  );
});

test('retraining "all" reproduces the results rows; same bytes on 2 threads; a rerun trains nothing', async () => {
  await probed;
  const re = await run('retrained', { shots: [2, 'all'], retrainAll: true });
  assert.equal(re.manifest.all_from, 'retrained');
  const reused = await run('reused', { shots: [2, 'all'], threads: 2 });
  assert.equal(reused.trained, 3);
  assert.equal(csv(join(root, 'retrained')), csv(join(root, 'reused')));
  const again = await run('reused', { shots: [2, 'all'] });
  assert.equal(again.trained, 0, 'the finished points are reused');
  assert.equal(csv(join(root, 'reused')), csv(join(root, 'retrained')));
  const other = await run('reused', { shots: [2], retrainAll: true, protocol: { ...protocol, epochs: 3 } });
  assert.equal(other.trained, 3, 'another protocol: points are trained afresh');
});

test('--layer without results: 3 seeds from 0, the paper split, no "all" reuse without a results folder', async () => {
  const r = await runLabelEfficiency({ features: feats, out: join(root, 'bylayer'), layer: 0, shots: [1, 2], protocol });
  assert.equal(r.manifest.layer_from, '--layer');
  assert.deepEqual(r.manifest.seeds, [0, 1, 2]);
  assert.equal((r.manifest.split as { rule: string }).rule, 'paper');
  await assert.rejects(
    runLabelEfficiency({ features: feats, out: join(root, 'x1'), layer: 0, shots: [1, 'all'] }),
    (e: unknown) => e instanceof UsageError && /--retrain-all/.test(e.message),
  );
  assert.equal(existsSync(join(root, 'x1')), false, 'a refused run leaves no folder');
});

test('bad input: no layer source, layer out of range, seeds the results lack, out folder in use or not ours, results of another model', async () => {
  await probed;
  const usage = (re: RegExp) => (e: unknown) => e instanceof UsageError && re.test(e.message);
  await assert.rejects(runLabelEfficiency({ features: feats, out: join(root, 'x2') }), usage(/--results DIR .* or --layer N/));
  await assert.rejects(
    runLabelEfficiency({ features: feats, out: join(root, 'x3'), layer: 5 }),
    (e: unknown) => e instanceof BioprobeError && /layers 0-1/.test(e.message),
  );
  await assert.rejects(run('x4', { seed: 0, seeds: 3 }), usage(/seeds \[7, 8, 9\], not seed 0.*--seed\/--seeds/));
  await assert.rejects(runLabelEfficiency({ features: feats, out: results, results }), usage(/must not be the --results folder/));
  await assert.rejects(runLabelEfficiency({ features: feats, out: feats, layer: 0 }), usage(/not a label-efficiency one/));
  await assert.rejects(
    runLabelEfficiency({ features: feats, out: join(root, 'x6'), layer: 0, seeds: 0 }),
    usage(/seeds must be a positive integer/),
  );
  const first = run('locked', { shots: [1] });
  await assert.rejects(
    run('locked', { shots: [1] }),
    (e: unknown) => e instanceof BioprobeError && e.code === 'locked',
    'a second run into a folder in use is refused',
  );
  await first;
  const other = join(root, 'other-features');
  writeSyntheticFeatures(other, { n: 300, dim: 16, classes: 4, layers: 2, seed: 5, model: 'another' });
  await assert.rejects(
    runLabelEfficiency({ features: other, out: join(root, 'x5'), results }),
    (e: unknown) => e instanceof BioprobeError && e.code === 'model-differs',
  );
});

test('CLI: bioprobe analyze label-efficiency, happy path and bad input', async () => {
  await probed;
  const out = join(root, 'cli');
  const r = runCli([
    'analyze',
    'label-efficiency',
    '--features',
    feats,
    '--results',
    results,
    '--out',
    out,
    '--shots',
    '1,2,all',
    '--quiet',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /shots +train clips +test UAR/);
  assert.match(r.stdout, /\n +all +210 /);
  assert.equal(readLabelEfficiency(out).rows.length, 9);
  const bad = (args: string[], flag: RegExp) => {
    const b = runCli(['analyze', 'label-efficiency', '--features', feats, '--out', join(root, 'cli-bad'), ...args]);
    assert.equal(b.code, 1, b.stderr);
    assert.match(b.stderr, flag);
    assert.equal(existsSync(join(root, 'cli-bad')), false);
  };
  bad(['--layer', '0', '--shots', '4,2'], /--shots must increase/);
  bad(['--results', join(root, 'nowhere')], /results\.csv is missing/);
});

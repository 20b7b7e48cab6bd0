/** `bioprobe fuse` on two synthetic "models" of the same clips; and its refusal of unaligned inputs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli.test.js';
import { averagePosteriors, fuseResults } from '../../lib/fusion/fuse.js';
import { writeSyntheticFeatures } from '../../lib/probe/synthetic.js';
import { runProbe } from '../../lib/probe/run.js';
import { DEFAULT_PROTOCOL } from '../../lib/probe/protocol.js';
import { argmaxRows, uar } from '../../lib/results/metrics.js';
import { readNpy } from '../../lib/util/npy.js';
import { compareResults, targets, testPredictions } from '../../lib/probe/compare.js';
import { openScoredResults } from '../../lib/results/index.js';
import { mcnemar } from '../../lib/probe/stats.js';

const root = mkdtempSync(join(tmpdir(), 'bioprobe-fuse-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

test('averagePosteriors is the element-wise mean', () => {
  assert.deepEqual([...averagePosteriors([Float32Array.from([1, 0]), Float32Array.from([0, 0.5])])], [0.5, 0.25]);
});

test("fuse picks each model's best layer on val (and on test, labelled), averages posteriors, writes probe formats", async () => {
  const dirs: string[] = [];
  for (const [k, model] of ['alpha', 'beta'].entries()) {
    const feats = join(root, `f_${model}`);
    writeSyntheticFeatures(feats, { n: 200, dim: 12, classes: 3, layers: 2, seed: 9, featureSeed: 20 + k, model, separation: 0.3 });
    const out = join(root, `r_${model}`);
    await runProbe({ features: feats, out, seed: 12345, seeds: 1, protocol: { ...DEFAULT_PROTOCOL, epochs: 3 }, threads: 1 });
    dirs.push(out);
  }
  const out = join(root, 'fused');
  const r = runCli(['fuse', '--results', ...dirs, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^fusion +test UAR/m);
  assert.match(r.stdout, /^fusion-test-chosen/m);
  const fusion = JSON.parse(readFileSync(join(out, 'fusion.json'), 'utf8')) as {
    variant: string;
    members: { dir: string; layer: number; valUar: number }[];
    test: { uar: number };
  }[];
  const honest = fusion.find((f) => f.variant === 'fusion')!;
  const rowsJson = JSON.parse(readFileSync(join(out, 'rows.json'), 'utf8')) as { test: number[] };
  const labels = readFileSync(join(out, 'clips.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[2]);
  const classes = JSON.parse(readFileSync(join(out, 'classes.json'), 'utf8')) as string[];
  const y = Int32Array.from(rowsJson.test, (i) => classes.indexOf(labels[i]));
  const parts = honest.members.map((m, k) => {
    const res = readFileSync(join(dirs[k], 'results.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const val = res.filter((c) => c[4] === 'val').map((c) => ({ layer: Number(c[2]), uar: Number(c[5]) }));
    const best = val.reduce((a, b) => (b.uar > a.uar ? b : a));
    assert.equal(m.layer, best.layer, 'best layer on val');
    return readNpy(join(dirs[k], 'predictions', `layer_0${m.layer}.test.npy`)).data;
  });
  const fused = readNpy(join(out, 'predictions', 'fusion.test.npy'));
  assert.deepEqual([...fused.data], [...averagePosteriors(parts)]);
  const expected = uar(argmaxRows(fused.data, y.length, 3), y, 3);
  assert.ok(Math.abs(honest.test.uar - expected) < 1e-12);
  const csv = readFileSync(join(out, 'results.csv'), 'utf8');
  assert.match(csv, /alpha\+beta,[^,]*,fusion,\d*,test,/);
  assert.match(csv, /fusion-test-chosen/);
});

test('fuse refuses a single input and inputs of different clips, in one line', async () => {
  const one = runCli(['fuse', '--results', join(root, 'r_alpha'), '--out', join(root, 'x')]);
  assert.notEqual(one.code, 0);
  assert.equal(one.stderr.trim().split('\n').length, 1);
  const feats = join(root, 'f_other');
  writeSyntheticFeatures(feats, { n: 200, dim: 12, classes: 3, layers: 1, seed: 10 });
  const other = join(root, 'r_other');
  await runProbe({ features: feats, out: other, seed: 12345, seeds: 1, protocol: { ...DEFAULT_PROTOCOL, epochs: 1 }, threads: 1 });
  const bad = runCli(['fuse', '--results', join(root, 'r_alpha'), other, '--out', join(root, 'y')]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /labelled|differ/);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  // the same clips scored with UAR over all classes (the paper preset's torchmetrics 0.11) do not fuse with 'present' ones
  const all = join(root, 'r_alpha_all');
  await runProbe({
    features: join(root, 'f_alpha'),
    out: all,
    seed: 12345,
    seeds: 1,
    protocol: { ...DEFAULT_PROTOCOL, epochs: 1, uarClasses: 'all' },
    threads: 1,
  });
  const mixed = runCli(['fuse', '--results', all, join(root, 'r_beta'), '--out', join(root, 'z')]);
  assert.notEqual(mixed.code, 0);
  assert.match(mixed.stderr, /UAR over present classes, but .* over all classes/);
  assert.equal(mixed.stderr.trim().split('\n').length, 1);
});

test('compare: best layers on val, paired bootstrap and McNemar on the same test clips', () => {
  const r = runCli(['compare', '--a', join(root, 'r_alpha'), '--b', join(root, 'r_beta'), '--resamples', '200', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const c = JSON.parse(r.stdout) as {
    a: { testUar: number };
    b: { testUar: number };
    clips: number;
    bootstrap: { diff: number; low: number; high: number; p: number };
    mcnemar: { p: number };
  };
  assert.equal(c.clips, 200 - Math.floor(0.7 * 200) - Math.floor(0.2 * 200));
  assert.ok(
    Math.abs(c.bootstrap.diff - (c.a.testUar - c.b.testUar)) < 1e-5,
    'one seed: the difference of the test UARs (results.csv keeps 6 digits)',
  );
  assert.ok(c.bootstrap.low <= c.bootstrap.diff && c.bootstrap.diff <= c.bootstrap.high);
  assert.ok(c.bootstrap.p >= 0 && c.bootstrap.p <= 1 && c.mcnemar.p >= 0 && c.mcnemar.p <= 1);
});

/** Both synthetic models probed with 3 seeds (seeds 7, 8, 9), once, for the tests that need them. */
let threeSeeds: Promise<string[]> | undefined;
function threeSeedResults(): Promise<string[]> {
  threeSeeds ??= (async () => {
    const outs: string[] = [];
    for (const model of ['alpha', 'beta']) {
      const feats = join(root, `f3_${model}`);
      writeSyntheticFeatures(feats, {
        n: 200,
        dim: 12,
        classes: 3,
        layers: 2,
        seed: 9,
        featureSeed: model === 'alpha' ? 20 : 21,
        model,
        separation: 0.3,
      });
      const out = join(root, `r3_${model}`);
      await runProbe({ features: feats, out, seed: 7, seeds: 3, protocol: { ...DEFAULT_PROTOCOL, epochs: 2 }, threads: 2 });
      outs.push(out);
    }
    return outs;
  })();
  return threeSeeds;
}

test('compare with several seeds: the bootstrap compares seed-mean test UARs, McNemar the first seeds', async () => {
  const outs = await threeSeedResults();
  const c = compareResults(outs[0], outs[1], { resamples: 200 });
  assert.deepEqual(c.seeds, { a: 3, b: 3 });
  // bestLayer's testUar is the mean over the 3 seeds of results.csv (6 digits)
  assert.ok(Math.abs(c.bootstrap.diff - (c.a.testUar - c.b.testUar)) < 1e-5, JSON.stringify(c));
  const first = (dir: string, layer: number) => testPredictions(openScoredResults(dir), layer, 0);
  assert.deepEqual(c.mcnemar, mcnemar(first(outs[0], c.a.layer), first(outs[1], c.b.layer), targets(openScoredResults(outs[0]))));
  assert.ok(c.bootstrap.low <= c.bootstrap.diff && c.bootstrap.diff <= c.bootstrap.high);
});

test('fuse with several seeds fuses seed k with seed k and averages the scores over seeds', async () => {
  const dirs = await threeSeedResults();
  const out = join(root, 'fused3');
  const [f] = fuseResults(dirs, out);
  assert.equal(f.seeds, 3);
  const rows = readFileSync(join(out, 'results.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  const fusionTest = rows.filter((r) => r[2] === 'fusion' && r[4] === 'test');
  assert.deepEqual(
    fusionTest.map((r) => r[3]),
    ['7', '8', '9'],
  );
  const mean = fusionTest.reduce((a, r) => a + Number(r[5]), 0) / 3;
  assert.ok(Math.abs(mean - f.test.uar) < 1e-5);
  // seed 8's fused posteriors are the mean of seed 8's member posteriors
  const members = dirs.map((d, k) => readNpy(join(d, 'predictions', 'seed_8', `layer_0${f.members[k].layer}.test.npy`)).data);
  const fused = readNpy(join(out, 'predictions', 'seed_8', 'fusion.test.npy')).data;
  for (let i = 0; i < fused.length; i++) assert.ok(Math.abs(fused[i] - (members[0][i] + members[1][i]) / 2) < 1e-6);
  assert.ok(Math.abs(f.testUarBySeed[1] - Number(fusionTest[1][5])) < 1e-6);
});

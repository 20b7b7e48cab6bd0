import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExperiment } from '../../lib/experiment/load.js';
import { runExperiment } from '../../lib/experiment/runner.js';
import { MARKER } from '../../lib/experiment/cache.js';
import { fakeStages } from './fakeStages.js';

/** The analyses off: the tests below check the paper's chain; the analyses have their own test at the end. */
const NO_ANALYSES = 'analyses: {recall: false, weighted: false, labels: false, cka: false}\n';

/** A temp folder with two datasets (3 files each), two model files and an experiment text (analyses off unless `extra` has them). */
function setup(extra = '', analyses = NO_ANALYSES) {
  const root = mkdtempSync(join(tmpdir(), 'bp-run-'));
  for (const ds of ['alpha', 'beta']) {
    mkdirSync(join(root, 'data', ds), { recursive: true });
    for (const f of ['a1.wav', 'b1.wav', 'a2.wav']) writeFileSync(join(root, 'data', ds, f), f);
  }
  writeFileSync(join(root, 'm1.onnx'), 'model one');
  writeFileSync(join(root, 'm2.onnx'), 'model two');
  const text = `name: t\ndatasets: [folder:data/alpha, folder:data/beta]\nmodels: [m1.onnx, m2.onnx, baseline:logmel]\n${analyses}${extra}`;
  return { root, text, file: join(root, 'exp.yaml') };
}

function load(s: ReturnType<typeof setup>, text = s.text) {
  return parseExperiment(text, s.file, { threads: 1, cacheDir: join(s.root, 'cache') });
}

test('a first run runs every stage in phase order; a second run does nothing', async () => {
  const s = setup();
  const { stages, calls } = fakeStages();
  const log: string[] = [];
  const r1 = await runExperiment(load(s), { stages, log: (l) => log.push(l) });
  assert.deepEqual(
    r1.outcomes.map((o) => o.kind),
    ['split', 'split', ...Array(6).fill('extract'), ...Array(6).fill('probe'), 'fuse', 'fuse', 'report'],
  );
  assert.ok(r1.outcomes.every((o) => o.status === 'ran'));
  assert.deepEqual(calls.fuse, ['alpha', 'beta']); // the baseline is not fused, the two models are
  assert.ok(existsSync(join(s.root, 'reports/t/report.html')));
  assert.ok(existsSync(join(s.root, 'reports/t/work/features/m1__alpha', MARKER)));
  const before = JSON.stringify(calls);
  const r2 = await runExperiment(load(s), { stages });
  assert.equal(JSON.stringify(calls), before, 'no stage function was called again');
  assert.ok(r2.outcomes.every((o) => o.status === 'cached'));
  assert.equal(r2.report?.html, join(s.root, 'reports/t/report.html'));
});

test('a changed model file redoes only that model, the fusions and the report', async () => {
  const s = setup();
  const { stages, calls } = fakeStages();
  await runExperiment(load(s), { stages });
  for (const k of Object.keys(calls)) calls[k].length = 0;
  writeFileSync(join(s.root, 'm2.onnx'), 'model two, retrained');
  const r = await runExperiment(load(s), { stages });
  assert.deepEqual(calls.split, []);
  assert.deepEqual(calls.extract.sort(), ['m2/alpha', 'm2/beta']);
  assert.deepEqual(calls.probe.sort(), ['m2__alpha', 'm2__beta']);
  assert.deepEqual(calls.fuse, ['alpha', 'beta']);
  assert.equal(calls.report.length, 1);
  assert.equal(r.outcomes.filter((o) => o.status === 'ran').length, 7);
});

test('a changed probe setting keeps features and splits; a changed dataset redoes its chain only', async () => {
  const s = setup();
  const { stages, calls } = fakeStages();
  await runExperiment(load(s), { stages });
  for (const k of Object.keys(calls)) calls[k].length = 0;
  await runExperiment(load(s, s.text + 'probe: { seeds: 3 }\n'), { stages });
  assert.deepEqual(calls.extract, []);
  assert.deepEqual(calls.split, []);
  assert.equal(calls.probe.length, 6);
  for (const k of Object.keys(calls)) calls[k].length = 0;
  writeFileSync(join(s.root, 'data', 'beta', 'c9.wav'), 'new clip');
  await runExperiment(load(s, s.text + 'probe: { seeds: 3 }\n'), { stages });
  assert.deepEqual(calls.split, ['beta']);
  assert.deepEqual(calls.extract.sort(), ['logmel/beta', 'm1/beta', 'm2/beta']);
  assert.deepEqual(calls.fuse, ['beta']);
});

test("a dataset's classes reach its probes (the default: the labels in order); a changed class map redoes those probes only", async () => {
  const s = setup();
  const { stages, calls } = fakeStages();
  await runExperiment(load(s), { stages });
  assert.ok(calls.classes.includes('m1__alpha:a|b'), calls.classes.join(' '));
  for (const k of Object.keys(calls)) calls[k].length = 0;
  const text =
    'name: t\ndatasets: [folder:data/alpha, {spec: folder:data/beta, classes: [b, z, a]}]\nmodels: [m1.onnx, m2.onnx, baseline:logmel]\n';
  await runExperiment(load(s, text), { stages });
  assert.deepEqual([calls.split, calls.extract], [[], []]);
  assert.deepEqual(calls.classes.sort(), ['logmel__beta:b|z|a', 'm1__beta:b|z|a', 'm2__beta:b|z|a']);
});

test('a stale folder (other key) is emptied; an interrupted one with the same key is kept to resume', async () => {
  const s = setup();
  const { stages } = fakeStages();
  await runExperiment(load(s), { stages });
  const fdir = join(s.root, 'reports/t/work/features/m1__alpha');
  writeFileSync(join(fdir, 'partial.bin'), 'half');
  // same key but marked started (a crash): kept
  const marker = JSON.parse(readFileSync(join(fdir, MARKER), 'utf8'));
  writeFileSync(join(fdir, MARKER), JSON.stringify({ ...marker, state: 'started' }));
  await runExperiment(load(s), { stages });
  assert.ok(existsSync(join(fdir, 'partial.bin')));
  // another key: emptied first
  writeFileSync(join(s.root, 'm1.onnx'), 'model one, v2');
  await runExperiment(load(s), { stages });
  assert.ok(!existsSync(join(fdir, 'partial.bin')));
});

test('--dry-run plans without running; --force reruns everything', async () => {
  const s = setup();
  const { stages, calls } = fakeStages();
  const dry = await runExperiment(load(s), { stages, dryRun: true });
  assert.ok(dry.outcomes.every((o) => o.status === 'planned'));
  assert.equal(calls.extract.length + calls.split.length + calls.report.length, 0);
  await runExperiment(load(s), { stages });
  await runExperiment(load(s), { stages, force: true });
  assert.equal(calls.extract.length, 12);
});

test('fusion needs two fusable models and can be switched off', async () => {
  const s = setup();
  const { stages, calls } = fakeStages();
  await runExperiment(load(s, s.text.replace('m2.onnx, ', '')), { stages });
  assert.deepEqual(calls.fuse, []);
  await runExperiment(load(s, s.text + 'fusion: false\n'), { stages });
  assert.deepEqual(calls.fuse, []);
});

test('until stops after a phase; a later full run picks up from there', async () => {
  const s = setup();
  const { stages, calls } = fakeStages();
  const r = await runExperiment(load(s), { stages, until: 'extract' });
  assert.deepEqual([...new Set(r.outcomes.map((o) => o.kind))], ['split', 'extract']);
  assert.equal(calls.probe.length, 0);
  await runExperiment(load(s), { stages });
  assert.equal(calls.extract.length, 6);
  assert.equal(calls.probe.length, 6);
});

test('a layer-0 override redoes that model only; a baseline refuses one', async () => {
  const s = setup();
  const { stages, calls } = fakeStages();
  await runExperiment(load(s), { stages });
  for (const k of Object.keys(calls)) calls[k].length = 0;
  await runExperiment(load(s, s.text.replace('models: [m1.onnx,', 'models: [{file: m1.onnx, layer0: projection},')), { stages });
  assert.deepEqual(calls.extract.sort(), ['m1/alpha', 'm1/beta']);
  assert.throws(
    () => load(s, s.text.replace('baseline:logmel]', '{id: baseline:logmel, layer0: projection}]')),
    /models\[2\]\.layer0: a baseline has no layer-0 tap/,
  );
});

test('the analyses: weighted (SSL models only), recall and labels per model x dataset, cka per dataset; keyed on what they read', async () => {
  const s = setup('', '');
  const { stages, calls } = fakeStages();
  const r1 = await runExperiment(load(s), { stages });
  assert.deepEqual(
    r1.outcomes.map((o) => o.kind),
    [
      'split',
      'split',
      ...Array(6).fill('extract'),
      ...Array(6).fill('probe'),
      'fuse',
      'fuse',
      ...Array(4).fill('weighted'),
      ...Array(6).fill('recall'),
      ...Array(6).fill('labels'),
      'cka',
      'cka',
      'report',
    ],
  );
  assert.deepEqual(
    calls.weighted.sort(),
    ['m1__alpha', 'm1__beta', 'm2__alpha', 'm2__beta'],
    'the baseline has one layer: no weighted probe',
  );
  assert.deepEqual(calls.recall.sort(), ['logmel__alpha', 'logmel__beta', 'm1__alpha', 'm1__beta', 'm2__alpha', 'm2__beta']);
  assert.deepEqual(calls.cka, ['alpha:m1|m2|logmel', 'beta:m1|m2|logmel']);
  // more probe seeds: probes, fusions, every analysis reading a probe or its settings, the report; not extraction, not cka
  for (const k of Object.keys(calls)) calls[k].length = 0;
  const r2 = await runExperiment(load(s, s.text + 'probe: {seeds: 2}\n'), { stages });
  const ran = [...new Set(r2.outcomes.filter((o) => o.status === 'ran').map((o) => o.kind))];
  assert.deepEqual(ran, ['probe', 'fuse', 'weighted', 'recall', 'labels', 'report']);
  assert.deepEqual([calls.extract, calls.cka], [[], []]);
  // other label settings redo the label stages and the report only
  for (const k of Object.keys(calls)) calls[k].length = 0;
  const r3 = await runExperiment(load(s, s.text + 'probe: {seeds: 2}\nanalyses: {labels: {shots: [1, 4, all], seeds: 5}}\n'), { stages });
  assert.deepEqual([...new Set(r3.outcomes.filter((o) => o.status === 'ran').map((o) => o.kind))], ['labels', 'report']);
  // --until analyze stops before the report; analyses off plans none
  const r4 = await runExperiment(load(s, s.text + 'probe: {seeds: 3}\n'), { stages, until: 'analyze', dryRun: true });
  assert.ok(!r4.outcomes.some((o) => o.kind === 'report') && r4.outcomes.some((o) => o.kind === 'cka'));
  const off = await runExperiment(load(s, s.text + NO_ANALYSES), { stages, dryRun: true });
  assert.ok(!off.outcomes.some((o) => ['weighted', 'recall', 'labels', 'cka'].includes(o.kind)));
});

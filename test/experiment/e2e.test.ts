/**
 * The real chain through `runExperiment` with the real stages: synthetic:60, one tiny random-init
 * fixture model and the log-mel baseline, every stage's outputs on disk, then a second run that does
 * nothing, then a changed setting that redoes only probes, fusion and report.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultStages } from '../../lib/experiment/defaultStages.js';
import { loadExperiment } from '../../lib/experiment/load.js';
import { runExperiment } from '../../lib/experiment/runner.js';
import { summaryLines } from '../../lib/experiment/summary.js';
import { readNpyHeader } from '../../lib/util/npy.js';

test('a tiny experiment runs end to end with the real stages and is cached', { timeout: 300_000 }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bp-e2e-'));
  const file = join(tmp, 'tiny.yaml');
  const write = (extra: string) =>
    writeFileSync(
      file,
      [
        'name: tiny',
        'datasets: [synthetic:60]',
        `models: [${resolve('test/fixtures/models/hubert_tiny.onnx')}, {file: ${resolve('test/fixtures/models/w2v2_ctc_tiny.onnx')}, name: w2v-small}, baseline:logmel]`,
        'output: out',
        'cache: cache',
        'report: {pdf: false, notice: "a test run"}',
        extra,
      ].join('\n') + '\n',
    );
  write('probe: {seeds: 1}');
  const load = () => loadExperiment(file, { threads: 1, cacheDir: join(tmp, 'unused') });
  const stages = defaultStages();

  const r1 = await runExperiment(load(), { stages });
  assert.ok(r1.outcomes.every((o) => o.status === 'ran'));
  const work = join(tmp, 'out', 'work');
  assert.deepEqual(readNpyHeader(join(work, 'features', 'hubert_tiny__synthetic', 'layer_00.npy')).shape, [60, 128]);
  assert.deepEqual(readNpyHeader(join(work, 'features', 'logmel__synthetic', 'layer_00.npy')).shape, [60, 128]);
  const results = readFileSync(join(work, 'results', 'logmel__synthetic', 'results.csv'), 'utf8');
  assert.match(results, /^model,dataset,layer,seed,split,uar/);
  assert.ok(existsSync(join(work, 'fusion', 'synthetic', 'predictions', 'fusion.test.npy')));
  const html = readFileSync(join(tmp, 'out', 'report.html'), 'utf8');
  assert.match(html, /a test run/);
  // the experiment's model names reach the manifests and the report
  const fm = JSON.parse(readFileSync(join(work, 'features', 'w2v-small__synthetic', 'manifest.json'), 'utf8'));
  assert.equal(fm.modelInfo.name, 'w2v-small');
  assert.match(html, /w2v-small/);
  assert.equal(r1.report?.html, join(tmp, 'out', 'report.html'));
  // the analyses: their folders, and a section each in the report
  assert.ok(existsSync(join(work, 'weighted', 'hubert_tiny__synthetic', 'layer_weights.csv')));
  assert.ok(!existsSync(join(work, 'weighted', 'logmel__synthetic')), 'no weighted probe for a one-layer baseline');
  assert.ok(existsSync(join(work, 'recall', 'logmel__synthetic', 'class_recall.csv')));
  assert.match(
    readFileSync(join(work, 'labels', 'w2v-small__synthetic', 'label_efficiency.csv'), 'utf8'),
    /^model,dataset,layer,shots,seed,train_clips,val_uar,test_uar\n/,
  );
  assert.deepEqual(
    JSON.parse(readFileSync(join(work, 'cka', 'synthetic', 'cka.json'), 'utf8')).models.map((m: { name: string }) => m.name),
    ['hubert_tiny', 'w2v-small', 'logmel'],
  );
  for (const h of ['Per-class recall by layer', 'All layers, learned mix', 'Label efficiency', 'Layer similarity'])
    assert.match(html, new RegExp(`<h3>[A-Z]\\. ${h}</h3>`));
  // Table III: two weighted rows and the fusion below the models; the Type cells' rowspans cover every row once
  const scores = html.slice(html.indexOf('id="table-results"'), html.indexOf('</table>', html.indexOf('id="table-results"')));
  const spans = [...scores.matchAll(/rowspan="(\d+)"/g)].reduce((n, m) => n + Number(m[1]), 0);
  assert.equal(spans, (scores.match(/<tr class=/g) ?? []).length);
  assert.equal((scores.match(/<th>[^<]*all layers \(weighted\)<\/th>/g) ?? []).length, 2);

  const table = summaryLines(r1.plan);
  assert.match(table[1], /^model\s+synthetic$/);
  assert.ok(
    table.some((l) => /^w2v-small\s+\d+\.\d+ \((CNN|L\d+)\)$/.test(l)),
    table.join('\n'),
  );
  assert.ok(
    table.some((l) => /^Fusion\s+\d+\.\d+$/.test(l)),
    table.join('\n'),
  );

  const r2 = await runExperiment(load(), { stages });
  assert.ok(r2.outcomes.every((o) => o.status === 'cached'));

  write('probe: {seeds: 1, select: last}');
  const r3 = await runExperiment(load(), { stages });
  const ran = r3.outcomes.filter((o) => o.status === 'ran').map((o) => o.kind);
  assert.deepEqual(ran, [
    'probe',
    'probe',
    'probe',
    'fuse',
    'weighted',
    'weighted',
    'recall',
    'recall',
    'recall',
    'labels',
    'labels',
    'labels',
    'report',
  ]);
});

const BIRDS = '/work/shared/data/birds/labels.csv';

test('real recordings: the birds set through the runner (log-mel baseline and a tiny model)', {
  skip: !existsSync(BIRDS) && 'shared data absent: ' + BIRDS,
  timeout: 300_000,
}, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bp-e2e-birds-'));
  const file = join(tmp, 'birds.yaml');
  writeFileSync(
    file,
    [
      'name: birds',
      `datasets: [{spec: "csv:${BIRDS}", name: birds}]`,
      `models: [${resolve('test/fixtures/models/hubert_tiny.onnx')}, baseline:logmel]`,
      'output: out',
      'cache: cache',
      'report: {pdf: false}',
      'probe: {seeds: 1}',
    ].join('\n') + '\n',
  );
  const r = await runExperiment(loadExperiment(file, { threads: 1, cacheDir: join(tmp, 'unused') }), { stages: defaultStages() });
  assert.ok(r.outcomes.every((o) => o.status === 'ran'));
  const clips = readFileSync(join(tmp, 'out', 'work', 'features', 'logmel__birds', 'clips.csv'), 'utf8')
    .trim()
    .split('\n');
  assert.equal(clips.length, 1 + 91);
  assert.deepEqual(readNpyHeader(join(tmp, 'out', 'work', 'features', 'logmel__birds', 'layer_00.npy')).shape, [91, 128]);
  const table = summaryLines(r.plan);
  assert.ok(
    table.some((l) => /^log-mel \(baseline\)|^logmel/.test(l)),
    table.join('\n'),
  );
  assert.ok(existsSync(join(tmp, 'out', 'report.html')));
});

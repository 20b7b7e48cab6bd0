import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExperimentError, loadExperiment, parseExperiment } from '../../lib/experiment/load.js';
import { BioprobeError } from '../../lib/util/errors.js';

const opts = { threads: 2, cacheDir: '/tmp/bp-cache' };

function issuesOf(text: string, file = 'experiments/x.yaml'): string[] {
  try {
    parseExperiment(text, file, opts);
  } catch (err) {
    assert.ok(err instanceof ExperimentError, String(err));
    assert.ok(!err.oneLine().includes('\n'), 'one line');
    return err.issues.map((i) => `${i.line}: ${i.path}: ${i.message}`);
  }
  assert.fail('expected a validation error');
}

test('schema errors name the line and the field', () => {
  const text = [
    'name: demo', //                 1
    'protocol: pap', //              2
    'datasets:', //                  3
    '  - synthetic:100', //          4
    '  - spec: csv:x.csv', //        5
    '    split: { seed: -1 }', //    6
    'models:', //                    7
    '  - baseline:logmel', //        8
    '  - id: hubert-base', //        9
    '    file: a.onnx', //           10
    '  - baseline:mfcc', //          11
    'probe:', //                     12
    '  select: worst', //            13
    'colour: blue', //               14
  ].join('\n');
  const got = issuesOf(text);
  assert.equal(got.length, 6, got.join('\n'));
  assert.match(got[0], /^2: protocol: .*"paper"\|"default"/);
  assert.match(got[1], /^6: datasets\[1\]\.split\.seed: /);
  assert.match(got[2], /^9: models\[1\]: give exactly one of `id`/);
  assert.match(got[3], /^11: models\[2\]\.id: unknown baseline \(known: baseline:logmel\)/);
  assert.match(got[4], /^13: probe\.select: /);
  assert.match(got[5], /^14: colour: unknown field \(known fields: name, .*datasets/);
});

test('the one-line message starts with file:line', () => {
  try {
    parseExperiment('name: a\ndatasets: []\nmodels: [baseline:logmel]\n', 'experiments/x.yaml', opts);
    assert.fail();
  } catch (err) {
    assert.ok(err instanceof BioprobeError);
    assert.match(err.oneLine(), /^experiments\/x\.yaml:2: datasets: list at least one dataset/);
  }
});

test('YAML syntax errors and missing fields point at lines too', () => {
  assert.match(issuesOf('name: a\nmodels: [\n')[0], /^\d+: : YAML: /);
  assert.match(issuesOf('datasets: [synthetic]\nmodels: [baseline:logmel]\n')[0], /^1: name: /);
  assert.match(issuesOf('name: a\nname: b\ndatasets: [synthetic]\nmodels: [baseline:logmel]\n')[0], /^2: : YAML: .*[Uu]nique|^\d+: : YAML/);
});

test('duplicate model names and missing model files are reported with their lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bp-exp-'));
  writeFileSync(join(dir, 'm.onnx'), 'x');
  const got = issuesOf('name: a\ndatasets: [synthetic:10]\nmodels:\n  - m.onnx\n  - file: m.onnx\n  - gone.onnx\n', join(dir, 'e.yaml'));
  assert.match(got[0], /^5: models\[1\]: model name "m" is already used by models\[0\]/);
  assert.match(got[1], /^6: models\[2\]\.file: no such model file: .*gone\.onnx/);
});

test('presets fill the protocol; explicit fields override; paths resolve against root', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bp-exp-'));
  const paper = parseExperiment(
    'name: p\nprotocol: paper\nroot: ..\ndatasets: [watkins:data/watkins]\nmodels: [hubert-base, baseline:logmel]\n',
    join(dir, 'exp', 'p.yaml'),
    opts,
  );
  assert.equal(paper.probe.select, 'last');
  assert.equal(paper.probe.uarClasses, 'all');
  assert.equal(paper.probe.seed, 12345);
  assert.deepEqual(paper.datasets[0].split, { seed: 42, ratios: [70, 20, 10], stratified: false });
  assert.equal(paper.datasets[0].spec, `watkins:${join(dir, 'data/watkins')}`);
  assert.equal(paper.output, join(dir, 'reports/p'));
  assert.equal(paper.work, join(dir, 'reports/p/work'));
  assert.deepEqual(
    paper.models.map((m) => [m.name, m.ref.kind, m.fuse]),
    [
      ['hubert-base', 'zoo', true],
      ['logmel', 'baseline', false],
    ],
  );
  assert.equal(paper.extract.threads, 2);
  const def = parseExperiment(
    'name: d\ndatasets: [{spec: synthetic:20, split: {stratified: true}}]\nmodels: [baseline:logmel]\nprobe: {select: last, seeds: 3}\nextract: {threads: 1}\n',
    join(dir, 'd.yaml'),
    opts,
  );
  assert.equal(def.protocol, 'default');
  assert.equal(def.probe.select, 'last');
  assert.equal(def.probe.uarClasses, 'present');
  assert.equal(def.probe.seeds, 3);
  assert.equal(def.datasets[0].split.stratified, true);
  assert.equal(def.datasets[0].spec, 'synthetic:20');
  assert.equal(def.extract.threads, 1);
});

test('datasets take an ordered class list; an empty or repeated one is refused with its line', () => {
  const ok = parseExperiment(
    'name: c\ndatasets:\n  - spec: synthetic:60\n    classes: [trill, bark, "Beluga,_White_Whale"]\nmodels: [baseline:logmel]\n',
    'x.yaml',
    opts,
  );
  assert.deepEqual(ok.datasets[0].classes, ['trill', 'bark', 'Beluga,_White_Whale']);
  assert.equal(
    parseExperiment('name: c\ndatasets: [synthetic:60]\nmodels: [baseline:logmel]\n', 'x.yaml', opts).datasets[0].classes,
    undefined,
  );
  const got = issuesOf(
    'name: c\ndatasets:\n  - spec: synthetic:60\n    classes: [a, b, a]\n  - spec: synthetic:60\n    classes: []\nmodels: [baseline:logmel]\n',
  );
  assert.equal(got.length, 2, got.join('\n'));
  assert.match(got[0], /^4: datasets\[0\]\.classes: a class is listed twice/);
  assert.match(got[1], /^6: datasets\[1\]\.classes: .*>=1 items/);
});

test('a missing experiment file is a typed error naming it', () => {
  assert.throws(
    () => loadExperiment('experiments/nope.yaml', opts),
    (e: unknown) => e instanceof BioprobeError && /nope\.yaml: no such experiment file/.test(e.oneLine()),
  );
});

test('an unknown dataset scheme is caught with its line, before anything runs', () => {
  const got = issuesOf('name: a\ndatasets:\n  - synthetic:10\n  - cvs:labels.csv\nmodels: [baseline:logmel]\n');
  assert.match(got[0], /^4: datasets\[1\]\.spec: unknown dataset spec "cvs:labels\.csv" \(.*csv/);
});

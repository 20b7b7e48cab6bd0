/** The probe's class map (features' classes.json, --classes) and its check of --split files row by row. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticFeatures } from '../../lib/probe/synthetic.js';
import { runProbe } from '../../lib/probe/run.js';
import { DEFAULT_PROTOCOL } from '../../lib/probe/protocol.js';
import { uar } from '../../lib/results/metrics.js';
import { readNpy } from '../../lib/util/npy.js';
import { BioprobeError } from '../../lib/util/errors.js';
import { runCli } from '../cli.test.js';

const root = mkdtempSync(join(tmpdir(), 'bioprobe-probe-classes-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
const feats = join(root, 'features');
writeSyntheticFeatures(feats, { n: 150, dim: 8, classes: 3, layers: 1, seed: 3, separation: 0.5 });
const quick = { features: feats, seed: 12345, seeds: 1, protocol: { ...DEFAULT_PROTOCOL, epochs: 3 }, threads: 1 };

async function rejectsCode(p: Promise<unknown>, code: string, re: RegExp) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof BioprobeError, String(e));
    assert.equal(e.code, code);
    assert.match(e.oneLine(), re);
    return true;
  });
}

test("the features' classes.json sets the probe's outputs: a class that is never a target still has one (Abzaliev's S)", async () => {
  const f = join(root, 'f-map');
  writeSyntheticFeatures(f, { n: 150, dim: 8, classes: 3, layers: 1, seed: 3, separation: 0.5 });
  const map = ['class_02', 'never', 'class_00', 'class_01'];
  writeFileSync(join(f, 'classes.json'), JSON.stringify(map));
  const out = join(root, 'r-map');
  await runProbe({ ...quick, features: f, out });
  assert.deepEqual(JSON.parse(readFileSync(join(out, 'classes.json'), 'utf8')), map);
  const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { classes: number; classes_from: string };
  assert.deepEqual([m.classes, m.classes_from], [4, 'features classes.json']);
  const rows = JSON.parse(readFileSync(join(out, 'rows.json'), 'utf8')) as { test: number[] };
  const post = readNpy(join(out, 'predictions', 'layer_00.test.npy'));
  assert.deepEqual(post.shape, [rows.test.length, 4], 'one output per class of the map');
  const labels = readFileSync(join(f, 'clips.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[2]);
  const target = rows.test.map((i) => map.indexOf(labels[i]));
  assert.ok(!target.includes(1));
  const pred = rows.test.map((_, r) => {
    let b = 0;
    for (let c = 1; c < 4; c++) if (post.data[r * 4 + c] > post.data[r * 4 + b]) b = c;
    return b;
  });
  const test = readFileSync(join(out, 'results.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','))
    .find((c) => c[4] === 'test')!;
  assert.ok(
    Math.abs(Number(test[5]) - uar(pred, target, 4)) <= 5e-7,
    `results.csv UAR ${test[5]} (6 decimals) is the UAR over the 4-class map, ${uar(pred, target, 4)}`,
  );
  const conf = JSON.parse(readFileSync(join(out, 'confusion', 'layer_00.test.json'), 'utf8')) as { classes: string[]; matrix: number[][] };
  assert.deepEqual([conf.classes, conf.matrix[1]], [map, [0, 0, 0, 0]]);
});

test('--classes replaces the map (order = output order); a label outside it is refused naming the clip', async () => {
  const out = join(root, 'r-opt');
  const r = runCli([
    'probe',
    '--features',
    feats,
    '--out',
    out,
    '--classes',
    'class_01,class_00,class_02',
    '--epochs',
    '2',
    '--threads',
    '1',
    '--quiet',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(readFileSync(join(out, 'classes.json'), 'utf8')), ['class_01', 'class_00', 'class_02']);
  assert.equal((JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { classes_from: string }).classes_from, '--classes');
  await rejectsCode(
    runProbe({ ...quick, out: join(root, 'r-bad'), classes: ['class_00', 'class_01'] }),
    'label-unknown',
    /clip \d+ \(clip_\d+\.wav\) has label "class_02", which is not in the class map \[class_00, class_01\]/,
  );
});

test('without classes.json the default map orders numeric labels by value (2 before 10)', async () => {
  const f = join(root, 'f-num');
  writeSyntheticFeatures(f, { n: 90, dim: 4, classes: 3, layers: 1, seed: 8 });
  const csv = join(f, 'clips.csv');
  writeFileSync(
    csv,
    readFileSync(csv, 'utf8')
      .replace(/class_00/g, '10')
      .replace(/class_01/g, '2')
      .replace(/class_02/g, '1'),
  );
  const out = join(root, 'r-num');
  await runProbe({ ...quick, features: f, out, protocol: { ...DEFAULT_PROTOCOL, epochs: 1 } });
  assert.deepEqual(JSON.parse(readFileSync(join(out, 'classes.json'), 'utf8')), ['1', '2', '10']);
});

test('--split is checked row by row against clips.csv: same count but rows moved, or a label changed, is refused naming the row', async () => {
  const out = join(root, 'r-split');
  await runProbe({ ...quick, out, protocol: { ...DEFAULT_PROTOCOL, epochs: 1 } });
  const good = join(out, 'split.csv');
  const lines = readFileSync(good, 'utf8').trim().split('\n');
  const swapped = [...lines];
  [swapped[6], swapped[7]] = [lines[7].replace(/^6,/, '5,'), lines[6].replace(/^5,/, '6,')];
  const f1 = join(root, 'swapped.csv');
  writeFileSync(f1, swapped.join('\n') + '\n');
  await rejectsCode(
    runProbe({ ...quick, out: join(root, 'r-s1'), split: f1 }),
    'split-mismatch',
    /swapped\.csv: line 7 \(index 5\): path clip_6\.wav where the features' clips\.csv \(.*\) has clip_5\.wav/,
  );
  const relabelled = lines.map((l, i) => (i === 100 ? l.replace(/,class_0\d,/, ',class_99,') : l));
  const f2 = join(root, 'relabelled.csv');
  writeFileSync(f2, relabelled.join('\n') + '\n');
  await rejectsCode(
    runProbe({ ...quick, out: join(root, 'r-s2'), split: f2 }),
    'split-mismatch',
    /relabelled\.csv: line 101 \(index 99\): label "class_99" where/,
  );
  const f3 = join(root, 'short.csv');
  writeFileSync(f3, lines.slice(0, -1).join('\n') + '\n');
  await rejectsCode(
    runProbe({ ...quick, out: join(root, 'r-s3'), split: f3 }),
    'split-mismatch',
    /split file has 149 rows but the features' clips\.csv .* has 150/,
  );
  // the CLI prints the same one line and exits 1
  const r = runCli(['probe', '--features', feats, '--out', join(root, 'r-s4'), '--split', f1, '--quiet']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /line 7 \(index 5\): path clip_6\.wav/);
});

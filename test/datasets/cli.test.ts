import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { paperSplit, stratifiedSplit } from '../../lib/datasets/split.js';
import { put, putWav, runCli, runCliAsync, tempDir } from './helpers.js';

function fixture() {
  const d = tempDir();
  const rows = ['path,label,group'];
  for (let i = 0; i < 40; i++) {
    putWav(d, `w/${i}.wav`, 0.05 + 0.01 * i, i % 2 ? 16000 : 8000);
    rows.push(`w/${i}.wav,${i % 3 ? 'bird' : 'frog'},rec${Math.floor(i / 4)}`);
  }
  put(d, 'labels.csv', rows.join('\n') + '\n');
  return { d, spec: `csv:${join(d, 'labels.csv')}` };
}

const splitsOf = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[3]);

test('bioprobe split writes the paper split; --stratified and --grouped variants; summary on stdout', async () => {
  const { d, spec } = fixture();
  const out = (name: string) => join(d, `${name}.csv`);
  const [r, r7, s, g] = await Promise.all([
    runCliAsync(['split', '--dataset', spec, '--out', out('paper')]),
    runCliAsync(['split', '--dataset', spec, '--out', out('seed7'), '--seed', '7', '--ratios', '60,20,20']),
    runCliAsync(['split', '--dataset', spec, '--out', out('strat'), '--stratified']),
    runCliAsync(['split', '--dataset', spec, '--out', out('group'), '--group']),
  ]);
  for (const x of [r, r7, s, g]) assert.equal(x.code, 0, x.stderr);
  assert.match(r.stdout, /40 items, train 28 \/ val 8 \/ test 4 \(paper split, seed 42, ratios 70:20:10\)/);
  assert.deepEqual(splitsOf(out('paper')), paperSplit(40));
  const lines = readFileSync(out('paper'), 'utf8').trim().split('\n');
  assert.equal(lines[0], 'index,path,label,split,start,end,group');
  assert.match(lines[1], /^0,.*\/w\/0\.wav,frog,(train|val|test),,,rec0$/);
  assert.deepEqual(splitsOf(out('seed7')), paperSplit(40, { seed: 7, ratios: [60, 20, 20] }));
  const labels = Array.from({ length: 40 }, (_, i) => (i % 3 ? 'bird' : 'frog'));
  assert.deepEqual(splitsOf(out('strat')), stratifiedSplit(labels));
  assert.match(g.stdout, /grouped split/);
  const sp = splitsOf(out('group'));
  for (let i = 0; i < 40; i += 4) assert.equal(new Set(sp.slice(i, i + 4)).size, 1, `rec${i / 4} in one split`);
});

test('bioprobe split: bad arguments and inputs exit non-zero with one line on stderr', async () => {
  const { d, spec } = fixture();
  const out = join(d, 's.csv');
  const cases: [string[], RegExp][] = [
    [['split', '--dataset', spec], /--out/],
    [['split', '--dataset', spec, '--out', out, '--ratios', '70,30'], /--ratios must be three numbers/],
    [['split', '--dataset', spec, '--out', out, '--stratified', '--grouped'], /cannot be combined/],
    [['split', '--dataset', 'zip:/x', '--out', out], /unknown dataset spec "zip:\/x"/],
  ];
  put(d, 'nogroup.csv', 'path,label\nw/0.wav,a\n');
  cases.push([['split', '--dataset', `csv:${join(d, 'nogroup.csv')}`, '--out', out, '--grouped'], /has no groups/]);
  const results = await Promise.all(cases.map(([args]) => runCliAsync(args)));
  for (const [k, [args, re]] of cases.entries()) {
    const r = results[k];
    assert.notEqual(r.code, 0, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line for ${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
});

test('bioprobe datasets stats prints Table I columns, --json parses; datasets list prints items in order', async () => {
  const { d, spec } = fixture();
  // A bare MP3 has no length in its header: the CLI falls back to the audio stage's decoder.
  put(d, 'mp3/tone.mp3', readFileSync('test/fixtures/audio/tone.mp3'));
  put(d, 'mp3/l.csv', 'path,label\ntone.mp3,a\n');
  const [r, j, l, m] = await Promise.all([
    runCliAsync(['datasets', 'stats', spec]),
    runCliAsync(['datasets', 'stats', spec, '--json']),
    runCliAsync(['datasets', 'list', spec]),
    runCliAsync(['datasets', 'stats', `csv:${join(d, 'mp3/l.csv')}`, '--json']),
  ]);
  assert.equal(m.code, 0, m.stderr);
  const ms = JSON.parse(m.stdout);
  assert.deepEqual([ms.measured, ms.unreadableItems, ms.sampleRates], [1, 0, { 22050: 1 }]);
  assert.ok(Math.abs(ms.medianMs - 500) < 60, `decoded MP3 length ${ms.medianMs} ms`);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /samples +40 \(40 files\)/);
  assert.match(r.stdout, /sample rate +2 rates, 8000-16000 Hz/);
  assert.match(r.stdout, /classes +2/);
  assert.equal(j.code, 0, j.stderr);
  const s = JSON.parse(j.stdout);
  assert.equal(s.samples, 40);
  assert.deepEqual(s.classCounts, { bird: 26, frog: 14 });
  assert.ok(Math.abs(s.medianMs - 245) < 0.1, String(s.medianMs));
  assert.equal(l.code, 0, l.stderr);
  const rows = l.stdout.trim().split('\n');
  assert.equal(rows.length, 41);
  assert.match(rows[2], /^1,.*\/w\/1\.wav,bird,,,rec0$/);
});

test('bioprobe datasets stats synthetic:n materialises into $BIOPROBE_CACHE', () => {
  const cache = tempDir();
  const r = runCli(['datasets', 'stats', 'synthetic:12', '--json'], { env: { BIOPROBE_CACHE: cache } });
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.samples, 12);
  assert.equal(s.classes, 6);
  assert.equal(s.unreadableItems, 0);
});

test('datasets list/stats surface the rows a loader skipped (stderr for list, a section for stats); --classes sets the map', async () => {
  const d = tempDir();
  putWav(d, 'data/twin_1/20200101_Twin1_marmoset2.wav');
  put(
    d,
    'labels.csv',
    'filename,start,end,duration,calltype,caller\n20200101_Twin1_marmoset2,0,0.05,0.05,2,1\n20200101_Twin1_marmoset2,x,0.05,0.05,2,1\n',
  );
  const [l, s, c, bad] = await Promise.all([
    runCliAsync(['datasets', 'list', `imv:${d}`]),
    runCliAsync(['datasets', 'stats', `imv:${d}`]),
    runCliAsync(['datasets', 'stats', `imv:${d}`, '--json', '--classes', '2,7']),
    runCliAsync(['datasets', 'list', `imv:${d}`, '--classes', '0,1']),
  ]);
  assert.equal(l.code, 0, l.stderr);
  assert.equal(l.stdout.trim().split('\n').length, 2, 'stdout stays the items CSV');
  assert.match(l.stderr, /skipped: .*labels\.csv line 3: start "x" is not a number of seconds >= 0/);
  assert.match(s.stdout, /classes +11 \(1 with items\)/);
  assert.match(s.stdout, /skipped rows +1\n .*labels\.csv line 3: start "x"/);
  assert.equal(c.code, 0, c.stderr);
  assert.deepEqual(JSON.parse(c.stdout).classCounts, { 2: 1, 7: 0 });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /item 0 .* has label "2", which is not in the class list \[0, 1\]/);
});

/**
 * An interrupted `probe` run resumes where it stopped and writes the same files as an uninterrupted one;
 * the run key (checkpoint.ts) covers every input that changes the numbers, so other inputs start afresh.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticFeatures } from '../../lib/probe/synthetic.js';
import { runProbe, type ProbeRunOptions } from '../../lib/probe/run.js';
import { DEFAULT_PROTOCOL } from '../../lib/probe/protocol.js';
import { PARTIAL_DIR, probeRunKey, type RunKeyInputs } from '../../lib/probe/checkpoint.js';
import { openFeatures } from '../../lib/probe/features.js';
import { paperSplit } from '../../lib/datasets/split.js';
import { readNpy, writeNpy } from '../../lib/util/npy.js';

const root = mkdtempSync(join(tmpdir(), 'bioprobe-probe-resume-'));
const feats = join(root, 'features');
writeSyntheticFeatures(feats, { n: 200, dim: 16, classes: 3, layers: 3, seed: 4, separation: 0.4 });
test.after(() => rmSync(root, { recursive: true, force: true }));

const base = { features: feats, seed: 3, seeds: 2, protocol: { ...DEFAULT_PROTOCOL, epochs: 5 }, stack: 1 };
const FILES = [
  'results.csv',
  'summary.csv',
  'history.csv',
  'predictions/layer_02.test.npy',
  'predictions/seed_4/layer_01.val.npy',
  'confusion/seed_4/layer_00.test.json',
];

/** Run, throwing from the progress callback once `after` stack-seed runs have finished. */
async function interrupted(o: ProbeRunOptions, after: number): Promise<void> {
  let finished = 0;
  await assert.rejects(
    runProbe({
      ...o,
      onProgress: (m) => {
        if (/ seed \d+: [\d.]+ s$/.test(m) && ++finished === after) throw new Error('interrupted');
      },
    }),
    /interrupted/,
  );
}

for (const threads of [1, 2]) {
  test(`an interrupted run resumes and matches an uninterrupted one (${threads} thread(s))`, async () => {
    const whole = join(root, `whole-${threads}`);
    const resumed = join(root, `resumed-${threads}`);
    await runProbe({ ...base, threads, out: whole });
    assert.ok(!existsSync(join(whole, PARTIAL_DIR)), 'no checkpoint left after a complete run');
    await interrupted({ ...base, threads, out: resumed }, 2);
    const kept = readdirSync(join(resumed, PARTIAL_DIR)).filter((f) => f.startsWith('stack_'));
    assert.ok(kept.length >= 2, `finished stack-seed runs are recorded: ${kept.join(', ')}`);
    const lines: string[] = [];
    await runProbe({ ...base, threads, out: resumed, onProgress: (m) => lines.push(m) });
    assert.ok(
      lines.some((l) => /resuming: \d+ of 6 stack-seed runs already done/.test(l)),
      lines.join('\n'),
    );
    assert.equal(
      lines.filter((l) => / seed \d+: [\d.]+ s$/.test(l)).length,
      6 - Number(/resuming: (\d+)/.exec(lines.join('\n'))![1]),
      'only the rest is trained',
    );
    for (const f of FILES) assert.ok(readFileSync(join(whole, f)).equals(readFileSync(join(resumed, f))), f);
    assert.ok(!existsSync(join(resumed, PARTIAL_DIR)));
  });
}

test('a run with other settings into the same folder starts afresh', async () => {
  const out = join(root, 'changed');
  await interrupted({ ...base, threads: 1, out }, 1);
  const lines: string[] = [];
  await runProbe({ ...base, threads: 1, out, seed: 11, onProgress: (m) => lines.push(m) });
  assert.ok(!lines.some((l) => l.includes('resuming')), lines.join('\n'));
  const seeds = readFileSync(join(out, 'results.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[3]);
  assert.deepEqual([...new Set(seeds)], ['11', '12']);
});

test('the run key covers every input that changes the numbers', () => {
  const fs = openFeatures(feats);
  const split = paperSplit(fs.count, { seed: 42 });
  const inputs: RunKeyInputs = {
    features: fs,
    split,
    classes: ['class_00', 'class_01', 'class_02'],
    layers: [0, 1, 2],
    stacks: [[0], [1], [2]],
    seeds: [3, 4],
    protocol: base.protocol,
    device: 'cpu',
    sessionThreads: 1,
    versions: { bioprobe: '0.1.0', onnxruntime: '1.30.0' },
  };
  const k0 = probeRunKey(inputs);
  assert.equal(probeRunKey({ ...inputs, features: openFeatures(feats) }), k0, 'the same inputs give the same key');
  const copy = join(root, 'key-copy');
  cpSync(feats, copy, { recursive: true, preserveTimestamps: true });
  const variants: [string, Partial<RunKeyInputs>][] = [
    ['features folder', { features: openFeatures(copy) }],
    ['features manifest', { features: { ...fs, manifest: { ...fs.manifest, model: 'other' } } }],
    ['split', { split: split.map((s, i) => (i === 0 ? (s === 'train' ? 'val' : 'train') : s)) }],
    ['classes', { classes: ['a', 'b', 'c'] }],
    ['layers', { layers: [0, 1] }],
    ['stacking', { stacks: [[0, 1, 2]] }],
    ['seeds', { seeds: [3] }],
    ['epochs', { protocol: { ...inputs.protocol, epochs: 6 } }],
    ['select', { protocol: { ...inputs.protocol, select: 'last' } }],
    ['batch', { protocol: { ...inputs.protocol, batch: 32 } }],
    ['learning rate', { protocol: { ...inputs.protocol, lr: 1e-4 } }],
    ['scheduler', { protocol: { ...inputs.protocol, plateau: { ...inputs.protocol.plateau, patience: 5 } } }],
    ['early stopping', { protocol: { ...inputs.protocol, earlyStopPatience: 5 } }],
    ['device', { device: 'cuda' }],
    ['session threads', { sessionThreads: 2 }],
    ['onnxruntime version', { versions: { ...inputs.versions, onnxruntime: '1.31.0' } }],
  ];
  for (const [what, change] of variants) assert.notEqual(probeRunKey({ ...inputs, ...change }), k0, what);
  // in place, the folder and manifest unchanged: clips.csv relabelled, a layer file rewritten
  const before = probeRunKey({ ...inputs, features: openFeatures(copy) });
  const clips = join(copy, 'clips.csv');
  writeFileSync(clips, readFileSync(clips, 'utf8').replace(/,class_00,/, ',class_01,'));
  const relabelled = probeRunKey({ ...inputs, features: openFeatures(copy) });
  assert.notEqual(relabelled, before, 'clips.csv');
  const x = readNpy(join(copy, 'layer_01.npy'));
  x.data[0] += 1;
  writeNpy(join(copy, 'layer_01.npy'), x.data, x.shape);
  assert.notEqual(probeRunKey({ ...inputs, features: openFeatures(copy) }), relabelled, 'a layer file');
});

test('a run over relabelled features (clips.csv edited) or a rewritten layer file starts afresh', async () => {
  for (const edit of ['label', 'layer'] as const) {
    const f = join(root, `edited-${edit}`);
    cpSync(feats, f, { recursive: true });
    const out = join(root, `edited-${edit}-out`);
    const o = { ...base, features: f, threads: 1, out };
    await interrupted(o, 1);
    if (edit === 'label') {
      const clips = join(f, 'clips.csv');
      writeFileSync(clips, readFileSync(clips, 'utf8').replace(/,class_00,/, ',class_02,'));
    } else {
      const x = readNpy(join(f, 'layer_00.npy'));
      x.data.reverse();
      writeNpy(join(f, 'layer_00.npy'), x.data, x.shape);
    }
    const lines: string[] = [];
    await runProbe({ ...o, onProgress: (m) => lines.push(m) });
    assert.ok(!lines.some((l) => l.includes('resuming')), `${edit}: ${lines.join('\n')}`);
  }
});

/** `bioprobe probe` end to end on a small synthetic features directory, and its error paths. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli.test.js';
import { writeSyntheticFeatures } from '../../lib/probe/synthetic.js';
import { runProbe } from '../../lib/probe/run.js';
import { DEFAULT_PROTOCOL } from '../../lib/probe/protocol.js';
import { readNpy, writeNpy } from '../../lib/util/npy.js';
import { BioprobeError } from '../../lib/util/errors.js';
import { cudaAvailable } from '../../lib/runtime/cuda.js';

const root = mkdtempSync(join(tmpdir(), 'bioprobe-probe-cli-'));
const feats = join(root, 'features');
writeSyntheticFeatures(feats, { n: 240, dim: 16, classes: 4, layers: 2, seed: 5, separation: 0.4 });
test.after(() => rmSync(root, { recursive: true, force: true }));

test('probe writes results, predictions, confusion matrices, split, classes and manifest', () => {
  const out = join(root, 'res');
  const r = runCli(['probe', '--features', feats, '--out', out, '--seeds', '2', '--epochs', '4', '--threads', '1', '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const results = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n');
  assert.match(results[0], /^model,dataset,layer,seed,split,uar,accuracy,epochs/);
  assert.equal(results.length, 1 + 2 * 2 * 2); // layers x seeds x {val,test}
  const classes = JSON.parse(readFileSync(join(out, 'classes.json'), 'utf8')) as string[];
  assert.deepEqual(classes, [...classes].sort());
  const rows = JSON.parse(readFileSync(join(out, 'rows.json'), 'utf8')) as { val: number[]; test: number[] };
  assert.equal(rows.val.length, Math.floor(0.2 * 240));
  const p = readNpy(join(out, 'predictions', 'layer_01.test.npy'));
  assert.deepEqual(p.shape, [rows.test.length, 4]);
  for (let i = 0; i < p.shape[0]; i++) {
    const s = p.data.subarray(i * 4, i * 4 + 4).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(s - 1) < 1e-5, 'posteriors sum to 1');
  }
  assert.ok(existsSync(join(out, 'predictions', 'seed_12346', 'layer_00.val.npy')));
  const conf = JSON.parse(readFileSync(join(out, 'confusion', 'layer_00.test.json'), 'utf8')) as { matrix: number[][] };
  assert.equal(
    conf.matrix.flat().reduce((a, b) => a + b, 0),
    rows.test.length,
  );
  const split = readFileSync(join(out, 'split.csv'), 'utf8').trim().split('\n');
  assert.equal(split[0], 'index,path,label,split,start,end,group', 'the one split-file writer (INTERFACE.md Extensions)');
  assert.equal(split.length, 241);
  const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Record<string, any>;
  assert.equal(m.format, 'bioprobe.results/1');
  assert.equal(m.features.format, 'bioprobe.features/1');
  assert.deepEqual(m.seeds, [12345, 12346]);
  assert.equal(readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n').length, 3);
  assert.ok(existsSync(join(out, 'clips.csv')));
  // same split reused from the file gives the same results (seeded, reproducible)
  const again = join(root, 'res2');
  const r2 = runCli([
    'probe',
    '--features',
    feats,
    '--out',
    again,
    '--split',
    join(out, 'split.csv'),
    '--seeds',
    '2',
    '--epochs',
    '4',
    '--threads',
    '1',
    '--quiet',
  ]);
  assert.equal(r2.code, 0, r2.stderr);
  assert.equal(readFileSync(join(again, 'results.csv'), 'utf8'), readFileSync(join(out, 'results.csv'), 'utf8'));
});

test('a layer trained alone gives the same result as in a stack (probes are independent)', async () => {
  const both = join(root, 'both');
  const alone = join(root, 'alone');
  // 30 epochs: probes stop early at different epochs and leave the stack; seed 2 reuses the reordered data
  const o = { features: feats, seed: 12345, seeds: 2, protocol: DEFAULT_PROTOCOL, threads: 1 };
  await runProbe({ ...o, out: both });
  await runProbe({ ...o, out: alone, layers: [1] });
  const rows = (dir: string) =>
    readFileSync(join(dir, 'results.csv'), 'utf8')
      .trim()
      .split('\n')
      .filter((l) => l.split(',')[2] === '1');
  assert.deepEqual(rows(alone), rows(both));
});

test('stacks trained in parallel worker threads give the same files as one thread', async () => {
  const o = { features: feats, seed: 12345, seeds: 2, protocol: { ...DEFAULT_PROTOCOL, epochs: 6 }, stack: 1 };
  const inline = join(root, 'inline');
  const parallel = join(root, 'parallel');
  await runProbe({ ...o, out: inline, threads: 1 });
  await runProbe({ ...o, out: parallel, threads: 2 });
  const m = JSON.parse(readFileSync(join(parallel, 'manifest.json'), 'utf8')) as Record<string, any>;
  assert.deepEqual([m.stacks, m.workers, m.threads_per_worker], [[[0], [1]], 2, 1]);
  for (const f of [
    'results.csv',
    'history.csv',
    'predictions/layer_01.test.npy',
    'predictions/seed_12346/layer_00.val.npy',
    'confusion/layer_00.test.json',
  ]) {
    assert.ok(readFileSync(join(inline, f)).equals(readFileSync(join(parallel, f))), f);
  }
  // the CLI through bin/bioprobe.js (compiled or tsx-registered) starts its workers too
  const cli = join(root, 'parallel-cli');
  const r = runCli([
    'probe',
    '--features',
    feats,
    '--out',
    cli,
    '--seeds',
    '2',
    '--epochs',
    '6',
    '--threads',
    '2',
    '--stack',
    '1',
    '--quiet',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(join(cli, 'results.csv'), 'utf8'), readFileSync(join(inline, 'results.csv'), 'utf8'));
});

test('an error in a worker thread reaches the caller with its kind, code and file', async () => {
  const bad = join(root, 'bad-features');
  writeSyntheticFeatures(bad, { n: 60, dim: 8, classes: 3, layers: 2, seed: 9 });
  const file = join(bad, 'layer_01.npy');
  const x = readNpy(file);
  x.data[5] = Number.NaN;
  writeNpy(file, x.data, x.shape);
  await assert.rejects(
    runProbe({
      features: bad,
      out: join(root, 'bad-out'),
      seed: 1,
      seeds: 1,
      protocol: { ...DEFAULT_PROTOCOL, epochs: 2 },
      stack: 1,
      threads: 2,
    }),
    (err: unknown) => err instanceof BioprobeError && err.kind === 'features' && err.code === 'not-finite' && err.file === file,
  );
});

test('probe on a folder without a manifest fails with one line naming it', () => {
  const r = runCli(['probe', '--features', root, '--out', join(root, 'x')]);
  assert.notEqual(r.code, 0);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /manifest\.json is missing/);
});

test('probe rejects bad options and out-of-range layers with one line', () => {
  for (const args of [
    ['--select', 'best'],
    ['--layers', '0-5'],
    ['--device', 'tpu'],
    ['--seeds', '0'],
  ]) {
    const r = runCli(['probe', '--features', feats, '--out', join(root, 'y'), '--quiet', ...args]);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('--device cuda runs where onnxruntime has the CUDA provider, and fails in one clear line where not', () => {
  const r = runCli(['probe', '--features', feats, '--out', join(root, 'z'), '--device', 'cuda', '--epochs', '1', '--quiet']);
  if (cudaAvailable()) {
    assert.equal(r.code, 0, r.stderr);
    return;
  }
  assert.match(r.stderr, /CUDA/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

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
import { readNpy } from '../../lib/util/npy.js';
import { cudaAvailable } from '../../lib/probe/session.js';

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
  assert.equal(conf.matrix.flat().reduce((a, b) => a + b, 0), rows.test.length);
  const split = readFileSync(join(out, 'split.csv'), 'utf8').trim().split('\n');
  assert.equal(split[0], 'index,path,label,split');
  assert.equal(split.length, 241);
  const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Record<string, any>;
  assert.equal(m.format, 'bioprobe.results/1');
  assert.equal(m.features.format, 'bioprobe.features/1');
  assert.deepEqual(m.seeds, [12345, 12346]);
  assert.equal(readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n').length, 3);
  assert.ok(existsSync(join(out, 'clips.csv')));
  // same split reused from the file gives the same results (seeded, reproducible)
  const again = join(root, 'res2');
  const r2 = runCli(['probe', '--features', feats, '--out', again, '--split', join(out, 'split.csv'), '--seeds', '2', '--epochs', '4', '--threads', '1', '--quiet']);
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
  const rows = (dir: string) => readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n').filter((l) => l.split(',')[2] === '1');
  assert.deepEqual(rows(alone), rows(both));
});

test('probe on a folder without a manifest fails with one line naming it', () => {
  const r = runCli(['probe', '--features', root, '--out', join(root, 'x')]);
  assert.notEqual(r.code, 0);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /manifest\.json is missing/);
});

test('probe rejects bad options and out-of-range layers with one line', () => {
  for (const args of [['--select', 'best'], ['--layers', '0-5'], ['--device', 'tpu'], ['--seeds', '0']]) {
    const r = runCli(['probe', '--features', feats, '--out', join(root, 'y'), '--quiet', ...args]);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('--device cuda runs where onnxruntime has the CUDA provider, and fails in one clear line where not', () => {
  const r = runCli(['probe', '--features', feats, '--out', join(root, 'z'), '--device', 'cuda', '--epochs', '1', '--quiet']);
  if (cudaAvailable()) { assert.equal(r.code, 0, r.stderr); return; }
  assert.match(r.stderr, /CUDA/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

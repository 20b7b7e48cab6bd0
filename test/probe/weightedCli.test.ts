/** `bioprobe probe --weighted` end to end on a small synthetic features folder, and its usage errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticFeatures } from '../../lib/probe/synthetic.js';
import { loadResultsDir } from '../../lib/results/index.js';

const root = mkdtempSync(join(tmpdir(), 'bioprobe-weighted-cli-'));
const feats = join(root, 'features');
writeSyntheticFeatures(feats, { n: 160, dim: 8, classes: 3, layers: 3, seed: 9, separation: 0.5 });
test.after(() => rmSync(root, { recursive: true, force: true }));

function runCli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('probe --weighted writes an all-weighted results folder with the layer weights', () => {
  const out = join(root, 'weighted');
  const r = runCli([
    'probe',
    '--weighted',
    '--features',
    feats,
    '--out',
    out,
    '--seeds',
    '2',
    '--epochs',
    '3',
    '--layers',
    '0-2',
    '--quiet',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /all layers \(weighted\), layers 0,1,2: test UAR [\d.]+ ± [\d.]+/);
  const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.equal(m.kind, 'weighted-probe');
  assert.deepEqual(m.seeds, [12345, 12346]);
  const lw = readFileSync(join(out, 'layer_weights.csv'), 'utf8').trim().split('\n');
  assert.equal(lw[0], 'layer,seed,epoch,selected,weight,logit');
  assert.ok(existsSync(join(out, 'confusion', 'all-weighted.test.json')));
  const dir = loadResultsDir(out);
  assert.ok(dir.results.every((row) => row.layer === 'all-weighted'));
  assert.equal(dir.results.length, 4); // 2 seeds x {val, test}
});

test('probe --weighted refuses per-layer options that do not apply', () => {
  const r = runCli(['probe', '--weighted', '--features', feats, '--out', join(root, 'x'), '--threads', '2']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^bioprobe: --weighted .*--threads/);
});

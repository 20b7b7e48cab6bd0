import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

/** `bioprobe models check`: the batch-invariance report, per layer, from the real binary. */
function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('models check reports every layer: tiling and padding move features, equal-length batching does not', () => {
  const r = cli(['models', 'check', 'test/fixtures/models/hubert_tiny.onnx', '--threads', '1']);
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout.split('\n').filter((l) => /^\s+\d+\s/.test(l));
  assert.equal(rows.length, 5, r.stdout); // layer 0 + 4 transformer layers
  for (const row of rows) {
    const [, tiled, padded] = row
      .trim()
      .split(/\s+/)
      .map((v) => parseFloat(v));
    assert.ok(tiled > 0.1 && padded > 0.1, `tiling/padding should move features: ${row}`);
    assert.match(row, /0\.00% \(bit-identical\)/);
  }
});

test('models check on a file that is not a model exits non-zero with one line', () => {
  const r = cli(['models', 'check', 'README.md']);
  assert.notEqual(r.code, 0);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /README\.md/);
});

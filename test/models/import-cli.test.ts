import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './fixtures.js';

const CK = join(import.meta.dirname, '..', 'fixtures', 'checkpoints');
const fresh = () => mkdtempSync(join(tmpdir(), 'bioprobe-import-'));

test('bioprobe models import writes the graph; inspect reads checkpoints and built graphs', () => {
  const cache = fresh();
  const out = join(fresh(), 'w2v2-large.onnx');
  const env = { BIOPROBE_CACHE: cache };
  const r = runCli(['models', 'import', join(CK, 'hf_wav2vec2_large_ctc'), '--out', out, '--layer0', 'projection'], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /3 outputs layer_00\.\.layer_02 of \[batch, frames, 32\], layer 0 = projection/);
  assert.match(r.stdout, /parameters +encoder [\d,]+; whole checkpoint [\d,]+/);
  assert.match(
    r.stdout,
    new RegExp(`graph +${cache.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/models/built/[0-9a-f]{16}-projection-v\\d+/model\\.onnx`),
  );
  assert.ok(existsSync(out));
  const i = runCli(['models', 'inspect', out], { env });
  assert.equal(i.code, 0, i.stderr);
  assert.match(i.stdout, /layers +3 \(layer 0 \+ 2 transformer layers\), width 32, pre-ln, found by layer-outputs/);
  const c = runCli(['models', 'inspect', join(CK, 'fairseq_hubert_dictcfg', 'hubert_tiny.pt'), '--json'], { env });
  assert.equal(c.code, 0, c.stderr);
  const j = JSON.parse(c.stdout) as { format: string; layers: number; dim: number; parameters: { encoder: number; total: number } };
  assert.deepEqual([j.format, j.layers, j.dim], ['fairseq', 3, 32]);
  assert.ok(j.parameters.total >= j.parameters.encoder && j.parameters.encoder > 0);
});

test('extract --model org/name, offline: exit 1 at once with one line naming the folder to place the checkpoint in', () => {
  const cache = fresh();
  const t0 = Date.now();
  const r = runCli(['extract', '--model', 'someone/tiny-wavlm', '--dataset', 'synthetic:4', '--out', fresh()], {
    env: { BIOPROBE_CACHE: cache, HF_HOME: fresh(), HF_ENDPOINT: 'http://127.0.0.1:9' },
  });
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.ok(r.stderr.includes(join(cache, 'models', 'hf', 'someone--tiny-wavlm')), r.stderr);
  assert.ok(Date.now() - t0 < 20000);
});

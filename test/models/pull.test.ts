import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pullModel, placedPath } from '../../lib/models/pull.js';
import { zoo } from '../../lib/models/zoo.js';
import type { BioprobeError } from '../../lib/util/errors.js';
import { fakeHub } from './fakeHub.js';
import { fixturePath, runCli } from './fixtures.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'bioprobe-pull-'));
const UNREACHABLE = 'http://127.0.0.1:9'; // discard port: connection refused at once

test('offline, pull fails fast naming the file to place and where', async () => {
  const cacheDir = fresh();
  const t0 = Date.now();
  await assert.rejects(pullModel('hubert-base', { cacheDir, hfCacheDir: fresh(), hubUrl: UNREACHABLE }), (err: BioprobeError) => {
    assert.equal(err.code, 'offline');
    const line = err.oneLine();
    assert.match(line, /Xenova\/hubert-base-ls960\/resolve\/main\/onnx\/model\.onnx/);
    assert.ok(line.includes(placedPath(zoo.get('hubert-base'), 'onnx/model.onnx', cacheDir)), line);
    return true;
  });
  assert.ok(Date.now() - t0 < 5000, 'fails fast');
});

test('pull --offline never touches the network; a placed file is used and recorded', async () => {
  const cacheDir = fresh();
  await assert.rejects(pullModel('aves-bio', { cacheDir, offline: true }), /aves-base-bio\.onnx/);
  const placed = placedPath(zoo.get('aves-bio'), 'aves-base-bio.onnx', cacheDir);
  mkdirSync(join(placed, '..'), { recursive: true });
  copyFileSync(fixturePath('hubert_tiny.onnx'), placed);
  const p = await pullModel('aves-bio', { cacheDir, offline: true });
  assert.equal(p.path, placed);
  assert.equal(p.origin, 'placed');
  assert.equal(p.variant, 'default');
  const rec = JSON.parse(readFileSync(join(cacheDir, 'models', 'zoo', 'aves-bio', 'pull.json'), 'utf8'));
  assert.equal(rec.sha256, createHash('sha256').update(readFileSync(placed)).digest('hex'));
});

test('a zoo model without a public ONNX export says how to make one; unknown variants are refused', async () => {
  const line = (re: RegExp) => (err: BioprobeError) => re.test(err.oneLine());
  await assert.rejects(pullModel('w2v2-base', { cacheDir: fresh(), offline: true }), line(/no public ONNX export.*docs\/MODELS\.md/));
  await assert.rejects(pullModel('hubert-base', { cacheDir: fresh(), offline: true, variant: 'q9' }), line(/no variant "q9".*quantized/));
  // a hand-made export placed where the message says is then used
  const cacheDir = fresh();
  const placed = placedPath(zoo.get('w2v2-base-100h'), 'model.onnx', cacheDir);
  await assert.rejects(
    pullModel('w2v2-base-100h', { cacheDir }),
    line(new RegExp(`place it at ${placed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)),
  );
  mkdirSync(join(placed, '..'), { recursive: true });
  copyFileSync(fixturePath('w2v2_ctc_tiny.onnx'), placed);
  const p = await pullModel('w2v2-base-100h', { cacheDir });
  assert.equal(p.path, placed);
  assert.equal(p.origin, 'placed');
});

/** The tiny HuBERT fixture's bytes and sha256: what the fake hub serves. */
function tinyModel(): { body: Buffer; sha: string } {
  const body = readFileSync(fixturePath('hubert_tiny.onnx'));
  return { body, sha: createHash('sha256').update(body).digest('hex') };
}

/** The blobs folder of hubert-base's repository in an HF cache, created. */
function hubertBlobDir(hfCacheDir: string): string {
  const dir = join(hfCacheDir, 'models--Xenova--hubert-base-ls960', 'blobs');
  mkdirSync(dir, { recursive: true });
  return dir;
}

test('pull downloads into the HF cache layout, verifies the hub sha256, resumes, sends HF_TOKEN', async () => {
  const { body, sha } = tinyModel();
  const hub = await fakeHub(body);
  try {
    const hfCacheDir = fresh();
    // a previous, interrupted download left half the file
    const blobDir = hubertBlobDir(hfCacheDir);
    writeFileSync(join(blobDir, `${sha}.incomplete`), body.subarray(0, 1000));
    const p = await pullModel('hubert-base', { cacheDir: fresh(), hfCacheDir, hubUrl: hub.url, env: { HF_TOKEN: 'hf_testtoken' } });
    assert.equal(p.origin, 'downloaded');
    assert.equal(p.sha256, sha);
    assert.equal(p.path, join(hfCacheDir, 'models--Xenova--hubert-base-ls960', 'snapshots', 'c0ffee', 'onnx', 'model.onnx'));
    assert.equal(realpathSync(p.path), join(blobDir, sha));
    const get = hub.seen.find((s) => s.method === 'GET')!;
    assert.equal(get.url, '/Xenova/hubert-base-ls960/resolve/main/onnx/model.onnx', 'full precision by default');
    assert.equal(get.range, 'bytes=1000-');
    assert.equal(get.auth, 'Bearer hf_testtoken');
    // a second pull finds it in the HF cache without asking the hub
    const n = hub.seen.length;
    const again = await pullModel('hubert-base', { cacheDir: fresh(), hfCacheDir, hubUrl: UNREACHABLE });
    assert.equal(again.origin, 'hf-cache');
    assert.equal(hub.seen.length, n);
    // a variant is taken only when asked
    await pullModel('hubert-base', { cacheDir: fresh(), hfCacheDir: fresh(), hubUrl: hub.url, variant: 'quantized' }).catch(
      () => undefined,
    );
    assert.ok(hub.seen.some((s) => s.url.endsWith('/onnx/model_quantized.onnx')));
  } finally {
    await hub.close();
  }
});

test('a corrupt blob already in the HF cache is replaced by a verified download', async () => {
  const { body, sha } = tinyModel();
  const hub = await fakeHub(body);
  try {
    const hfCacheDir = fresh();
    const blobDir = hubertBlobDir(hfCacheDir);
    writeFileSync(join(blobDir, sha), 'truncated');
    const p = await pullModel('hubert-base', { cacheDir: fresh(), hfCacheDir, hubUrl: hub.url });
    assert.equal(p.sha256, sha);
    assert.ok(readFileSync(p.path).equals(body));
  } finally {
    await hub.close();
  }
});

test('a download whose sha256 differs from the hub is rejected and deleted', async () => {
  const body = readFileSync(fixturePath('hubert_tiny.onnx'));
  const hub = await fakeHub(body, { sha: '0'.repeat(64) });
  try {
    const hfCacheDir = fresh();
    await assert.rejects(pullModel('wavlm-base', { cacheDir: fresh(), hfCacheDir, hubUrl: hub.url }), /sha256 .* differs/);
    assert.ok(!existsSync(join(hfCacheDir, 'models--Xenova--wavlm-base', 'blobs', `${'0'.repeat(64)}.incomplete`)));
  } finally {
    await hub.close();
  }
});

test('HF_HOME is honoured: a copy in $HF_HOME/hub (Python huggingface_hub layout) is used offline', async () => {
  const home = fresh();
  const snap = join(home, 'hub', 'models--Xenova--wavlm-base', 'snapshots', 'abc123', 'onnx');
  mkdirSync(snap, { recursive: true });
  copyFileSync(fixturePath('hf_wavlm_tiny.onnx'), join(snap, 'model.onnx'));
  const p = await pullModel('wavlm-base', { cacheDir: fresh(), env: { HF_HOME: home }, offline: true });
  assert.equal(p.origin, 'hf-cache');
  assert.equal(p.commit, 'abc123');
  assert.equal(p.path, join(snap, 'model.onnx'));
  // the quantized variant is a different file: not found, even though the full-precision one is there
  await assert.rejects(
    pullModel('wavlm-base', { cacheDir: fresh(), env: { HF_HOME: home }, offline: true, variant: 'quantized' }),
    /model_quantized\.onnx/,
  );
});

test('bioprobe models pull --onnx, offline: exit 1 and one line saying where to place the file', () => {
  const cache = fresh();
  const r = runCli(['models', 'pull', 'hubert-base', '--onnx', '--offline'], { env: { BIOPROBE_CACHE: cache, HF_HOME: fresh() } });
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.ok(r.stderr.includes(join(cache, 'models', 'zoo', 'hubert-base', 'model.onnx')), r.stderr);
});

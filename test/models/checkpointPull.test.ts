import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pullCheckpoint, placedDir } from '../../lib/models/checkpointPull.js';
import { openCheckpoint } from '../../lib/checkpoint/index.js';
import { zoo } from '../../lib/models/zoo.js';
import type { BioprobeError } from '../../lib/util/errors.js';
import { fakeHub } from './fakeHub.js';
import { runCli } from './fixtures.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'bioprobe-ckpull-'));
const UNREACHABLE = 'http://127.0.0.1:9';
const CK = join(import.meta.dirname, '..', 'fixtures', 'checkpoints');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** The files of a fixture checkpoint folder (no refs, no manifest), as a fake repository serves them. */
function repoFiles(name: string): Record<string, Buffer> {
  const dir = join(CK, name);
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f !== 'manifest.json' && f !== 'ref')
      .map((f) => [f, readFileSync(join(dir, f))]),
  );
}
const HUBERT_PIN = (() => {
  const s = zoo.get('hubert-base').source;
  return s.kind === 'hf' ? s.revision! : '';
})();

test('offline, a checkpoint pull fails at once naming the files to fetch and where to place them', async () => {
  const cacheDir = fresh();
  const t0 = Date.now();
  await assert.rejects(pullCheckpoint('hubert-base', { cacheDir, hfCacheDir: fresh(), hubUrl: UNREACHABLE }), (err: BioprobeError) => {
    assert.equal(err.code, 'offline');
    const line = err.oneLine();
    assert.ok(line.includes(`${UNREACHABLE}/facebook/hubert-base-ls960/resolve/${HUBERT_PIN}/config.json`), line);
    assert.ok(line.includes(placedDir('hubert-base', cacheDir)), line);
    assert.match(line, /model\.safetensors.*pytorch_model\.bin/);
    return true;
  });
  assert.ok(Date.now() - t0 < 5000, 'fails fast');
  await assert.rejects(pullCheckpoint('aves-bio', { cacheDir, offline: true }), (err: BioprobeError) => {
    const line = err.oneLine();
    assert.match(line, /esp-public-files\/ported_aves\/aves-base-bio\.torchaudio\.pt and .*aves-base-bio\.torchaudio\.model_config\.json/);
    assert.ok(line.includes(placedDir('aves-bio', cacheDir)), line);
    return true;
  });
  await assert.rejects(pullCheckpoint('not a repo'), /neither a zoo id nor a Hugging Face repository id/);
});

test('files placed by hand are used (HF folder, AVES pair), their sha256 recorded', async () => {
  const cacheDir = fresh();
  const dir = placedDir('w2v2-base', cacheDir);
  mkdirSync(dir, { recursive: true });
  for (const f of ['config.json', 'model.safetensors']) copyFileSync(join(CK, 'hf_wav2vec2_base', f), join(dir, f));
  const p = await pullCheckpoint('w2v2-base', { cacheDir, offline: true });
  assert.equal(p.origin, 'placed');
  assert.equal(p.path, dir);
  assert.deepEqual(
    p.files.map((f) => f.name),
    ['config.json', 'model.safetensors'],
  );
  assert.equal(p.files[1].sha256, sha(readFileSync(join(dir, 'model.safetensors'))));
  assert.equal(JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')).origin, 'placed');
  // the AVES pair, named as ESP publishes it
  const aves = placedDir('aves-bio', cacheDir);
  mkdirSync(aves, { recursive: true });
  copyFileSync(join(CK, 'ta_hubert_tiny', 'ta_hubert_tiny.torchaudio.pt'), join(aves, 'aves-base-bio.torchaudio.pt'));
  copyFileSync(
    join(CK, 'ta_hubert_tiny', 'ta_hubert_tiny.torchaudio.model_config.json'),
    join(aves, 'aves-base-bio.torchaudio.model_config.json'),
  );
  const a = await pullCheckpoint('aves-bio', { cacheDir, offline: true });
  assert.equal(a.origin, 'placed');
  assert.equal(openCheckpoint(a.path).arch.family, 'hubert');
});

test('a zoo checkpoint downloads at its pinned revision into the HF cache, verified; then it is found offline', async () => {
  const files = repoFiles('hf_hubert_base');
  const hub = await fakeHub(files);
  try {
    const hfCacheDir = fresh();
    const p = await pullCheckpoint('hubert-base', { cacheDir: fresh(), hfCacheDir, hubUrl: hub.url, env: { HF_TOKEN: 'hf_t' } });
    assert.equal(p.origin, 'downloaded');
    assert.equal(p.commit, HUBERT_PIN);
    assert.equal(p.path, join(hfCacheDir, 'models--facebook--hubert-base-ls960', 'snapshots', HUBERT_PIN));
    const gets = hub.seen
      .filter((s) => s.method === 'GET')
      .map((s) => s.url)
      .sort();
    assert.deepEqual(gets, [
      `/facebook/hubert-base-ls960/resolve/${HUBERT_PIN}/config.json`,
      `/facebook/hubert-base-ls960/resolve/${HUBERT_PIN}/model.safetensors`,
    ]);
    assert.ok(hub.seen.filter((s) => s.method === 'GET').every((s) => s.auth === 'Bearer hf_t'));
    const weights = join(p.path, 'model.safetensors');
    assert.equal(realpathSync(weights), join(hfCacheDir, 'models--facebook--hubert-base-ls960', 'blobs', sha(files['model.safetensors'])));
    assert.equal(p.files.find((f) => f.name === 'model.safetensors')!.sha256, sha(files['model.safetensors']));
    assert.equal(openCheckpoint(p.path).arch.family, 'hubert');
    const n = hub.seen.length;
    const again = await pullCheckpoint('hubert-base', { cacheDir: fresh(), hfCacheDir, hubUrl: UNREACHABLE });
    assert.equal(again.origin, 'hf-cache');
    assert.equal(hub.seen.length, n, 'no request when cached');
  } finally {
    await hub.close();
  }
});

test('any repository id: the weights it has (a .bin here), and a sharded safetensors set with its index', async () => {
  const bin = await fakeHub(repoFiles('hf_wav2vec2_pretraining_bin'), { commit: 'abc123' });
  try {
    const hfCacheDir = fresh();
    const p = await pullCheckpoint('someone/tiny-w2v2', { cacheDir: fresh(), hfCacheDir, hubUrl: bin.url });
    assert.deepEqual(p.files.map((f) => f.name).sort(), ['config.json', 'pytorch_model.bin']);
    assert.equal(p.commit, 'abc123', 'unpinned: the snapshot is named by the commit that last touched the files');
    assert.equal(openCheckpoint(p.path).format, 'hf-bin');
  } finally {
    await bin.close();
  }
  const sharded = await fakeHub(repoFiles('hf_hubert_large_sharded'));
  try {
    const p = await pullCheckpoint('someone/tiny-hubert-large', { cacheDir: fresh(), hfCacheDir: fresh(), hubUrl: sharded.url });
    assert.deepEqual(p.files.map((f) => f.name).sort(), [
      'config.json',
      'model-00001-of-00003.safetensors',
      'model-00002-of-00003.safetensors',
      'model-00003-of-00003.safetensors',
      'model.safetensors.index.json',
    ]);
    assert.equal(openCheckpoint(p.path).format, 'hf-safetensors-sharded');
  } finally {
    await sharded.close();
  }
});

test('a download whose sha256 differs from the hub is rejected; a repository without weights is refused', async () => {
  const files = repoFiles('hf_wav2vec2_base');
  const bad = await fakeHub(files, { sha: { 'model.safetensors': '0'.repeat(64) } });
  try {
    await assert.rejects(pullCheckpoint('w2v2-base', { cacheDir: fresh(), hfCacheDir: fresh(), hubUrl: bad.url }), /sha256 .* differs/);
  } finally {
    await bad.close();
  }
  const empty = await fakeHub({ 'config.json': files['config.json'] });
  try {
    await assert.rejects(
      pullCheckpoint('someone/no-weights', { cacheDir: fresh(), hfCacheDir: fresh(), hubUrl: empty.url }),
      /has no weights/,
    );
  } finally {
    await empty.close();
  }
});

test('a snapshot a Python huggingface_hub left in $HF_HOME is used offline', async () => {
  const home = fresh();
  const snap = join(home, 'hub', 'models--microsoft--wavlm-base', 'snapshots', 'feedbeef');
  mkdirSync(snap, { recursive: true });
  cpSync(join(CK, 'hf_wavlm_seqcls', 'config.json'), join(snap, 'config.json'));
  cpSync(join(CK, 'hf_wavlm_seqcls', 'model.safetensors'), join(snap, 'model.safetensors'));
  const p = await pullCheckpoint('wavlm-base', { cacheDir: fresh(), env: { HF_HOME: home }, offline: true });
  assert.equal(p.origin, 'hf-cache');
  assert.equal(p.commit, 'feedbeef');
  assert.equal(p.path, snap);
});

test('bioprobe models pull <id> --offline: exit 1, one line naming the folder to place the checkpoint in', () => {
  const cache = fresh();
  const r = runCli(['models', 'pull', 'w2v2-base-100h', '--offline'], { env: { BIOPROBE_CACHE: cache, HF_HOME: fresh() } });
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.ok(r.stderr.includes(join(cache, 'models', 'zoo', 'w2v2-base-100h')), r.stderr);
  assert.ok(r.stderr.includes('facebook/wav2vec2-base-100h/resolve/main/config.json'), r.stderr);
  assert.ok(!existsSync(join(cache, 'models', 'zoo', 'w2v2-base-100h', 'config.json')));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from '../../lib/datasets/load.js';
import { readAudioHeader } from '../../lib/audio/header.js';
import { planItem, renderItem, SYNTHETIC_LABELS, SYNTHETIC_SAMPLE_RATES } from '../../lib/datasets/synthetic/generate.js';
import { syntheticDir } from '../../lib/datasets/synthetic/materialise.js';
import { tempDir } from './helpers.js';

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

/**
 * Golden hashes of synthetic v1 items 0..2. If the generator changes on purpose, bump SYNTHETIC_VERSION
 * (it keys the cache folder) and update these.
 */
const GOLDEN: Record<string, string> = {
  0: 'e0b1f028be111c0a387145d9af82b8f03b1baaef92acde9bca937ba882307b21',
  1: 'd64977fdd66e02e36bc35134d2771160d32ea5aab2086631d66832626e7f2e53',
  2: '0726268f3870317b29a9745690ddf9106fdb48f4775cdc830fb106aa151cbe07',
};

test('synthetic:n materialises real 16-bit WAV files and a labels.csv that csv: reads identically', async () => {
  const cache = tempDir();
  const ds = await loadDataset('synthetic:24', { cacheDir: cache });
  assert.equal(ds.spec, 'synthetic:24');
  assert.equal(ds.name, 'synthetic');
  assert.equal(ds.items.length, 24);
  assert.equal(new Set(ds.items.map((it) => it.label)).size, 6);
  for (const label of SYNTHETIC_LABELS) assert.equal(ds.items.filter((it) => it.label === label).length, 4, label);
  for (const it of ds.items) {
    const plan = planItem(it.index);
    assert.equal(it.label, plan.label);
    assert.equal(it.group, plan.group);
    assert.ok(it.path.startsWith(syntheticDir(cache, 24)));
    const h = readAudioHeader(it.path);
    assert.deepEqual([h.codec, h.channels, h.sampleRate, h.frames], ['pcm-s16', 1, plan.sampleRate, plan.frames]);
  }
  const viaCsv = await loadDataset(`csv:${join(syntheticDir(cache, 24), 'labels.csv')}`);
  assert.deepEqual(viaCsv.items, ds.items);
  assert.deepEqual(readdirSync(cache), ['synthetic-v1-n24'], 'no temporary folder left behind');
});

test('synthetic is deterministic: same bytes across caches, golden hashes, prefix-stable in n, generated once', async () => {
  const a = tempDir();
  const b = tempDir();
  const dsA = await loadDataset('synthetic:12', { cacheDir: a });
  const dsB = await loadDataset('synthetic:12', { cacheDir: b });
  for (let i = 0; i < 12; i++) assert.equal(sha(dsA.items[i].path), sha(dsB.items[i].path), `item ${i}`);
  assert.equal(sha(join(syntheticDir(a, 12), 'labels.csv')), sha(join(syntheticDir(b, 12), 'labels.csv')));
  for (const [i, h] of Object.entries(GOLDEN)) assert.equal(sha(dsA.items[Number(i)].path), h, `golden hash of item ${i}`);
  assert.ok(Object.keys(GOLDEN).length >= 3);
  const big = await loadDataset('synthetic:24', { cacheDir: a });
  for (let i = 0; i < 12; i++) assert.equal(sha(big.items[i].path), sha(dsA.items[i].path), `prefix item ${i}`);
  // A second load reuses the folder: files are not rewritten.
  const before = statSync(dsA.items[0].path).mtimeMs;
  await new Promise((r) => setTimeout(r, 20));
  await loadDataset('synthetic:12', { cacheDir: a });
  assert.equal(statSync(dsA.items[0].path).mtimeMs, before);
});

test('synthetic: a partial cache folder (no manifest) is replaced by a complete one', async () => {
  const cache = tempDir();
  const dir = syntheticDir(cache, 6);
  mkdirSync(join(dir, 'audio'), { recursive: true });
  writeFileSync(join(dir, 'audio', '00000.wav'), 'torn');
  const ds = await loadDataset('synthetic:6', { cacheDir: cache });
  assert.equal(readAudioHeader(ds.items[0].path).codec, 'pcm-s16');
  assert.ok(existsSync(join(dir, 'synthetic.json')));
});

test('no class is given away by duration or sample rate: the distributions overlap', () => {
  const plans = Array.from({ length: 600 }, (_, i) => planItem(i));
  const secs = (p: (typeof plans)[number]) => p.frames / p.sampleRate;
  for (const label of SYNTHETIC_LABELS) {
    const mine = plans.filter((p) => p.label === label);
    assert.equal(mine.length, 100);
    const d = mine.map(secs).sort((x, y) => x - y);
    assert.ok(d[0] < 0.06 && d[d.length - 1] > 2.5, `${label}: durations ${d[0]}..${d[d.length - 1]}`);
    assert.ok(d[50] > 0.2 && d[50] < 0.8, `${label}: median ${d[50]}`);
    assert.deepEqual(new Set(mine.map((p) => p.sampleRate)), new Set(SYNTHETIC_SAMPLE_RATES), `${label}: all rates`);
    const snr = mine.map((p) => p.snrDb);
    assert.ok(Math.min(...snr) < 5 && Math.max(...snr) > 25, `${label}: SNR spread`);
  }
  // A lookup table from (duration decile, rate) to the majority class, fit on half, scores near chance (1/6) on the other half.
  const sorted = plans.map(secs).sort((x, y) => x - y);
  const decile = (s: number) => ((sorted.filter((x) => x < s).length * 10) / sorted.length) | 0;
  const key = (p: (typeof plans)[number]) => `${decile(secs(p))}/${p.sampleRate}`;
  const table = new Map<string, Map<string, number>>();
  for (const p of plans.slice(0, 300)) {
    const m = table.get(key(p)) ?? new Map<string, number>();
    m.set(p.label, (m.get(p.label) ?? 0) + 1);
    table.set(key(p), m);
  }
  let hits = 0;
  for (const p of plans.slice(300)) {
    const m = table.get(key(p));
    if (m && [...m.entries()].sort((x, y) => y[1] - x[1])[0][0] === p.label) hits++;
  }
  assert.ok(hits / 300 < 0.3, `duration+rate predict the class with accuracy ${hits / 300}`);
});

test('the calls are what they say: up-sweeps rise and down-sweeps fall in frequency', () => {
  const zcr = (x: Float64Array, a: number, b: number) => {
    let c = 0;
    for (let i = a + 1; i < b; i++) if (x[i] >= 0 !== x[i - 1] >= 0) c++;
    return c / (b - a);
  };
  let checked = 0;
  for (let i = 0; i < 300; i++) {
    const p = planItem(i);
    if ((p.label !== 'upsweep' && p.label !== 'downsweep') || p.snrDb < 15 || p.frames / p.sampleRate < 0.3) continue;
    const x = renderItem(p);
    const n = x.length;
    const early = zcr(x, Math.floor(n * 0.15), Math.floor(n * 0.35));
    const late = zcr(x, Math.floor(n * 0.65), Math.floor(n * 0.85));
    assert.ok(p.label === 'upsweep' ? early < late : early > late, `item ${i} ${p.label}: zero-crossing rate ${early} -> ${late}`);
    checked++;
  }
  assert.ok(checked >= 10, `checked ${checked}`);
});

test('rendered items are finite, within [-1, 1], and not silent', () => {
  for (let i = 0; i < 36; i++) {
    const x = renderItem(planItem(i));
    let peak = 0;
    for (const v of x) {
      assert.ok(Number.isFinite(v));
      peak = Math.max(peak, Math.abs(v));
    }
    assert.ok(peak > 0.25 && peak <= 0.95, `item ${i}: peak ${peak}`);
  }
});

/**
 * The weighted probe (docs/PROTOCOL.md, "All layers, learned mix") beyond parity with PyTorch
 * (weightedParity, weightedGradcheck, weightedWholerun): over one layer it is that layer's probe bit
 * for bit (same seed: the same initial MLP and batch order; softmax of one weight is 1), w stays put
 * there, and the results folder follows `bioprobe probe`'s conventions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsvTable } from '../../lib/util/csv.js';
import { MT19937 } from '../../lib/util/random.js';
import { readSplitCsv } from '../../lib/datasets/splitFile.js';
import { bestLayer } from '../../lib/probe/compare.js';
import { uniform01 } from '../../lib/probe/init.js';
import { openScoredResults, readPosteriors } from '../../lib/results/index.js';
import { WEIGHTED_NAME, runWeightedProbe } from '../../lib/probe/weighted.js';
import { LAYER_WEIGHTS_FILE } from '../../lib/probe/weightedFiles.js';
import { BioprobeError } from '../../lib/util/errors.js';
import { writeNpy } from '../../lib/util/npy.js';
import { loadStack, partition } from '../../lib/probe/data.js';
import { openFeatures } from '../../lib/probe/features.js';
import { DEFAULT_PROTOCOL } from '../../lib/probe/protocol.js';
import { trainStack } from '../../lib/probe/trainer.js';
import { trainWeighted } from '../../lib/probe/weightedTrainer.js';

const DIR = 'test/fixtures/probe/wholerun';
const fs = openFeatures(DIR);
const p = partition(
  fs,
  readSplitCsv(join(DIR, 'split.csv')).map((r) => r.split),
);

test('over a single layer the weighted probe is that layer probe, bit for bit (same seed: same init and batches)', async () => {
  const protocol = { ...DEFAULT_PROTOCOL, epochs: 8 };
  const [layer] = await trainStack(loadStack(fs, p, [0]), { seed: 3, protocol });
  const mixed = await trainWeighted(loadStack(fs, p, [0]), { seed: 3, protocol });
  assert.deepEqual(
    mixed.history.map(({ weights, logits, ...h }) => {
      assert.deepEqual([weights, logits], [[1], [0]]);
      return h;
    }),
    layer.history,
  );
  assert.deepEqual([mixed.epochs, mixed.bestEpoch, mixed.selectedEpoch], [layer.epochs, layer.bestEpoch, layer.selectedEpoch]);
  for (const split of ['val', 'test'] as const) assert.deepEqual(mixed[split].posteriors, layer[split].posteriors, split);
  assert.deepEqual(mixed.logits, [0]);
  assert.deepEqual(mixed.weights, [1]);
});

/** A features folder with one informative layer between two of pure noise (n clips, D dims, 3 classes). */
function threeLayers(dir: string, n = 300, D = 8): void {
  mkdirSync(dir, { recursive: true });
  const rng = new MT19937(21);
  const g = () => {
    const u = Math.max(uniform01(rng), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform01(rng));
  };
  const labels = Array.from({ length: n }, (_, i) => i % 3);
  const centres = Array.from({ length: 3 * D }, () => 1.5 * g());
  writeFileSync(
    join(dir, 'clips.csv'),
    ['index,path,label,start,end,status', ...labels.map((c, i) => `${i},clip_${i}.wav,c${c},,,ok`)].join('\n') + '\n',
  );
  for (let l = 0; l < 3; l++) {
    writeNpy(
      join(dir, `layer_0${l}.npy`),
      Float32Array.from({ length: n * D }, (_, k) => g() + (l === 1 ? centres[labels[Math.floor(k / D)] * D + (k % D)] : 0)),
      [n, D],
    );
  }
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({ format: 'bioprobe.features/1', model: 'toy', dataset: 'toy', layers: 3, dim: D, count: n }),
  );
}

test("runWeightedProbe: the informative layer gets the weight; a results folder in `bioprobe probe`'s conventions", async () => {
  const root = mkdtempSync(join(tmpdir(), 'bioprobe-weighted-'));
  try {
    const features = join(root, 'features');
    threeLayers(features);
    const out = join(root, 'results');
    const r = await runWeightedProbe({ features, out, seed: 4, seeds: 2, protocol: DEFAULT_PROTOCOL, resamples: 50 });
    assert.equal(r.name, WEIGHTED_NAME);
    assert.deepEqual(r.layers, [0, 1, 2]);
    assert.equal(r.seeds.length, 2);
    for (const s of r.seeds) {
      assert.ok(Math.abs(s.weights.reduce((a, b) => a + b, 0) - 1) < 1e-12);
      assert.ok(
        s.weights[1] > s.weights[0] + 0.05 && s.weights[1] > s.weights[2] + 0.05,
        `seed ${s.seed}: the informative layer 1 should outweigh the noise layers: ${s.weights}`,
      );
      assert.ok(s.test.uar > 0.8, `seed ${s.seed}: test UAR ${s.test.uar}`);
    }
    assert.deepEqual(
      r.weights.mean,
      [0, 1, 2].map((l) => (r.seeds[0].weights[l] + r.seeds[1].weights[l]) / 2),
    );
    // the folder: layer = all-weighted everywhere; per-seed predictions; layer weights per seed, epoch and layer
    const res = openScoredResults(out);
    assert.equal(res.manifest.kind, 'weighted-probe');
    assert.deepEqual(
      res.results.map((row) => [row.layer, row.seed, row.split]),
      [
        [WEIGHTED_NAME, 4, 'val'],
        [WEIGHTED_NAME, 4, 'test'],
        [WEIGHTED_NAME, 5, 'val'],
        [WEIGHTED_NAME, 5, 'test'],
      ],
    );
    assert.deepEqual(readPosteriors(res, WEIGHTED_NAME, 'test', 1), r.seeds[1].test.posteriors);
    assert.ok(
      existsSync(join(out, 'confusion', `${WEIGHTED_NAME}.val.json`)) &&
        existsSync(join(out, 'confusion', 'seed_5', `${WEIGHTED_NAME}.test.json`)),
    );
    assert.throws(() => bestLayer(res, 'val'), /no per-layer rows/, 'readers that pick a best layer skip the weighted rows');
    const w = readCsvTable(join(out, LAYER_WEIGHTS_FILE), { kind: 'probe' }).rows.map((row) => row.cells);
    assert.equal(w.length, 3 * (r.seeds[0].epochs + r.seeds[1].epochs));
    for (const s of r.seeds) {
      const chosen = w.filter((c) => c.seed === String(s.seed) && c.selected === '1');
      assert.deepEqual(
        chosen.map((c) => [Number(c.layer), Number(c.epoch)]),
        [0, 1, 2].map((l) => [l, s.selectedEpoch]),
      );
      chosen.forEach((c, l) => assert.ok(Math.abs(Number(c.weight) - s.weights[l]) < 1e-5));
    }
    const summary = readCsvTable(join(out, 'summary.csv'), { kind: 'probe' }).rows.map((row) => row.cells);
    assert.equal(summary.length, 1);
    assert.equal(summary[0].layer, WEIGHTED_NAME);
    assert.equal(readCsvTable(join(out, 'split.csv'), { kind: 'probe' }).rows.length, 300);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('runWeightedProbe: a layer the features lack is a usage error; a subset of layers is mixed alone', async () => {
  const root = mkdtempSync(join(tmpdir(), 'bioprobe-weighted-'));
  try {
    const features = join(root, 'features');
    threeLayers(features, 60);
    await assert.rejects(
      runWeightedProbe({ features, layers: [0, 3], seed: 1, seeds: 1, protocol: DEFAULT_PROTOCOL }),
      (e: unknown) => e instanceof BioprobeError && e.code === 'bad-layer',
    );
    const r = await runWeightedProbe({ features, layers: [0, 2], seed: 1, seeds: 1, protocol: { ...DEFAULT_PROTOCOL, epochs: 2 } });
    assert.deepEqual(r.layers, [0, 2]);
    assert.equal(r.seeds[0].weights.length, 2);
    assert.equal(r.out, undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

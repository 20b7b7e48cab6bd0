/**
 * The weighted probe (docs/PROTOCOL.md, "All layers, learned mix") beyond parity with PyTorch
 * (weightedParity, weightedGradcheck, weightedWholerun): over one layer it is that layer's probe bit
 * for bit (same seed: the same initial MLP and batch order; softmax of one weight is 1), w stays put
 * there, and the results folder follows `bioprobe probe`'s conventions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readSplitCsv } from '../../lib/datasets/splitFile.js';
import { loadStack, partition } from '../../lib/probe/data.js';
import { openFeatures } from '../../lib/probe/features.js';
import { DEFAULT_PROTOCOL } from '../../lib/probe/protocol.js';
import { trainStack } from '../../lib/probe/trainer.js';
import { trainWeighted } from '../../lib/probe/weightedTrainer.js';

const DIR = 'test/fixtures/probe/wholerun';
const fs = openFeatures(DIR);
const p = partition(fs, readSplitCsv(join(DIR, 'split.csv')).map((r) => r.split));

test('over a single layer the weighted probe is that layer probe, bit for bit (same seed: same init and batches)', async () => {
  const protocol = { ...DEFAULT_PROTOCOL, epochs: 8 };
  const [layer] = await trainStack(loadStack(fs, p, [0]), { seed: 3, protocol });
  const mixed = await trainWeighted(loadStack(fs, p, [0]), { seed: 3, protocol });
  assert.deepEqual(mixed.history, layer.history);
  assert.deepEqual([mixed.epochs, mixed.bestEpoch, mixed.selectedEpoch], [layer.epochs, layer.bestEpoch, layer.selectedEpoch]);
  for (const split of ['val', 'test'] as const) assert.deepEqual(mixed[split].posteriors, layer[split].posteriors, split);
  assert.deepEqual(mixed.logits, [0]);
  assert.deepEqual(mixed.weights, [1]);
});

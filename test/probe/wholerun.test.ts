/**
 * A whole probe run against PyTorch, the paper's protocol end to end (fixture: tools/make_wholerun_reference.py,
 * torch 2.x + torchmetrics): real features (hubert_tiny, layer 1, of the 91 bird recordings; the paper's
 * split: 63/18/10 clips, 10 classes), seed 6. In torch the validation loss bottoms out at epoch 10, so
 * ReduceLROnPlateau drops the lr after epoch 21; validation UAR peaks at epoch 17 and early stopping
 * ends the run at epoch 27: the best epoch is not the last.
 * bioprobe starts from the same weights and sees the same batches (checked first, against the
 * fixture's own record of them), then must show the same stopping epoch, best epoch and lr drops,
 * per-epoch validation loss and UAR, and, through `bioprobe probe`, test and validation posteriors of
 * the epoch `--select` names: best-val the best epoch's weights, last the final ones.
 * Tolerances: losses 1e-5 relative, UAR 1e-6 (one changed prediction moves it by > 0.01), posteriors
 * 1e-5 absolute; the best and last epochs' posteriors differ by 0.068, so scoring the wrong epoch fails.
 * Measured against torch's float32 run: losses within 2.3e-7 relative, UARs within 1e-8 (torchmetrics
 * divides in float32), posteriors within 3.3e-7. torch's own float32 and float64 runs differ by <= 9e-8
 * in val loss here (both in the fixture): the run is well-conditioned, float32 graphs suffice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsvTable } from '../../lib/util/csv.js';
import { MT19937 } from '../../lib/util/random.js';
import { readSplitCsv } from '../../lib/datasets/splitFile.js';
import { loadStack, partition } from '../../lib/probe/data.js';
import { openFeatures } from '../../lib/probe/features.js';
import { PARAM_KEYS } from '../../lib/probe/state.js';
import { initState } from '../../lib/probe/init.js';
import { DEFAULT_PROTOCOL } from '../../lib/probe/protocol.js';
import { runProbe } from '../../lib/probe/run.js';
import { shuffle, shuffleSeed, trainStack } from '../../lib/probe/trainer.js';
import { readNpy } from '../../lib/util/npy.js';
import { f32 } from './fixtures.js';

const DIR = 'test/fixtures/probe/wholerun';
interface TorchRun {
  history: { epoch: number; train_loss: number; val_loss: number; val_uar: number; lr: number }[];
  epochs: number;
  best_epoch: number;
  lr_drops_after: number[];
  posteriors: Record<'last' | 'best', Record<'test' | 'val', string>>;
  init_sha256: string;
  perms: number[][];
}
const ref = JSON.parse(readFileSync(join(DIR, 'torch_run.json'), 'utf8')) as {
  seed: number;
  classes: string[];
  counts: Record<string, number>;
  float32: TorchRun;
};
const torch = ref.float32;
const root = mkdtempSync(join(tmpdir(), 'bioprobe-wholerun-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

const fs = openFeatures(DIR);
const split = readSplitCsv(join(DIR, 'split.csv')).map((r) => r.split);
const p = partition(fs, split);

test('the fixture is the case it claims: the lr drops, training stops early, the best epoch is not the last', () => {
  assert.deepEqual(p.classes, ref.classes);
  assert.deepEqual([p.train.length, p.val.length, p.test.length], [ref.counts.train, ref.counts.val, ref.counts.test]);
  assert.ok(torch.lr_drops_after.length > 0 && torch.lr_drops_after[0] < torch.epochs, 'the scheduler drops the lr before the end');
  assert.ok(torch.epochs < DEFAULT_PROTOCOL.epochs, 'early stopping ends the run');
  assert.notEqual(torch.best_epoch, torch.epochs);
});

test('bioprobe starts from the weights and batch order torch used', () => {
  const s = initState(1, fs.dim, p.classes.length, ref.seed);
  const h = createHash('sha256');
  for (const k of PARAM_KEYS) h.update(new Uint8Array(s.arrays[k].buffer, s.arrays[k].byteOffset, s.arrays[k].byteLength));
  assert.equal(h.digest('hex'), torch.init_sha256, 'initial weights');
  const rng = new MT19937(shuffleSeed(ref.seed));
  torch.perms.forEach((perm, e) => assert.deepEqual([...shuffle(p.train.length, rng)], perm, `epoch ${e + 1}'s permutation`));
});

test('every epoch as in torch: train and val loss, val UAR, lr; the same stopping and best epoch', async () => {
  const [outcome] = await trainStack(loadStack(fs, p, [0]), { seed: ref.seed, protocol: DEFAULT_PROTOCOL });
  assert.equal(outcome.epochs, torch.epochs, 'stopping epoch');
  assert.equal(outcome.bestEpoch, torch.best_epoch, 'best epoch');
  outcome.history.forEach((h, k) => {
    const t = torch.history[k];
    assert.equal(h.lr, t.lr, `epoch ${h.epoch}: lr`);
    assert.ok(Math.abs(h.valLoss - t.val_loss) <= 1e-5 * t.val_loss, `epoch ${h.epoch}: val loss ${h.valLoss} vs torch ${t.val_loss}`);
    assert.ok(
      Math.abs(h.trainLoss - t.train_loss) <= 1e-5 * t.train_loss,
      `epoch ${h.epoch}: train loss ${h.trainLoss} vs torch ${t.train_loss}`,
    );
    assert.ok(Math.abs(h.valUar - t.val_uar) <= 1e-6, `epoch ${h.epoch}: val UAR ${h.valUar} vs torch ${t.val_uar}`);
  });
});

for (const protocol of [DEFAULT_PROTOCOL, { ...DEFAULT_PROTOCOL, select: 'last' as const }]) {
  const which = protocol.select === 'last' ? 'last' : 'best';
  test(`--select ${protocol.select} scores the ${which === 'last' ? 'final weights' : "best epoch's weights"} (posteriors as torch's at epoch ${which === 'last' ? torch.epochs : torch.best_epoch})`, async () => {
    const out = join(root, protocol.select);
    await runProbe({ features: DIR, split: join(DIR, 'split.csv'), out, layers: [0], seed: ref.seed, seeds: 1, protocol, threads: 1 });
    for (const { cells } of readCsvTable(join(out, 'results.csv'), { kind: 'results' }).rows) {
      assert.deepEqual(
        [cells.epochs, cells.best_epoch, cells.selected_epoch].map(Number),
        [torch.epochs, torch.best_epoch, which === 'last' ? torch.epochs : torch.best_epoch],
        cells.split,
      );
    }
    for (const part of ['test', 'val'] as const) {
      const ours = readNpy(join(out, 'predictions', `layer_00.${part}.npy`)).data;
      const want = f32(torch.posteriors[which][part]);
      const other = f32(torch.posteriors[which === 'last' ? 'best' : 'last'][part]);
      let err = 0;
      let apart = 0;
      for (let i = 0; i < want.length; i++) {
        err = Math.max(err, Math.abs(ours[i] - want[i]));
        apart = Math.max(apart, Math.abs(want[i] - other[i]));
      }
      assert.ok(err <= 1e-5, `${part} posteriors: max error ${err} against torch's epoch`);
      assert.ok(apart > 100 * 1e-5, `${part}: the two epochs' posteriors must be told apart (they differ by ${apart})`);
    }
  });
}

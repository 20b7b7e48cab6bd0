import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNarrative } from '../../lib/report/narrative.js';
import { buildStudy } from '../../lib/report/study.js';
import { memDir, row } from './helpers.js';

function dir(model: string, uars: number[]) {
  // layer 0 carries the scores, layer 1 is worse
  return memDir(
    `/r/${model}`,
    uars.flatMap((u, k) => [
      row(model, 'imv:/x', 0, k, 'val', u),
      row(model, 'imv:/x', 0, k, 'test', u),
      row(model, 'imv:/x', 1, k, 'val', u - 9),
      row(model, 'imv:/x', 1, k, 'test', u - 9),
    ]),
  );
}

test('findings name the best model and hedge when intervals overlap', () => {
  const close = buildNarrative(buildStudy([dir('aves-bio', [60, 62, 64]), dir('hubert-base', [59, 61, 63])]));
  assert.equal(
    close.findings[0],
    'On IMV, the best model is AVES-Bio (CNN layer, 62.00 % test UAR), 1.00 points ahead of HuBERT (their 95 % intervals overlap).',
  );
  assert.match(close.findings[1], /^Pre-training on animal sounds against speech: .* \+1\.00 points .* over 1 dataset/);
  const apart = buildNarrative(buildStudy([dir('aves-bio', [80, 80.5, 81]), dir('hubert-base', [59, 61, 63])]));
  assert.ok(!apart.findings[0].includes('overlap'));
  assert.match(apart.title, /^Comparing 2 self-supervised audio models layer by layer on IMV$/);
});

test('a single-layer model (a baseline feature) gets no layer in the findings', () => {
  const one = (m: string, u: number) => memDir(`/r/${m}`, [row(m, 'imv:/x', 0, 1, 'val', u), row(m, 'imv:/x', 0, 1, 'test', u)]);
  const n = buildNarrative(buildStudy([one('baseline:logmel', 70), dir('hubert-base', [60])]));
  assert.equal(n.findings[0], 'On IMV, the best model is baseline:logmel (70.00 % test UAR), 10.00 points ahead of HuBERT.');
});

test('a title and no "self-supervised" claim for models of unknown kind', () => {
  const n = buildNarrative(buildStudy([dir('my.onnx', [50]), dir('other.onnx', [40])]), undefined);
  assert.equal(n.title, 'Comparing 2 audio models layer by layer on IMV');
  assert.equal(buildNarrative(buildStudy([dir('my.onnx', [50])]), 'Given').title, 'Given');
});

test('fine-tuned models are compared with the pre-trained model of their own family', () => {
  const n = buildNarrative(
    buildStudy([
      dir('w2v2-base', [60]),
      dir('w2v2-base-100h', [57]),
      dir('wavlm-base', [50]),
      dir('wavlm-base-100h', [52]),
      dir('aves-bio', [90]),
    ]),
  );
  const f = n.findings.find((x) => x.startsWith('Fine-tuning'));
  assert.equal(
    f,
    'Fine-tuning on speech recognition: fine-tuned models score \u22120.50 points on average against the pre-trained model of their family (2 comparisons; 1 better, 1 not).',
  );
});

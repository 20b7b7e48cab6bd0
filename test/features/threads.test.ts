/**
 * A features store does not depend on --threads (which is why threads are not part of its identity,
 * lib/features/identity.ts): 1, 2 and 4 onnxruntime intra-op threads give byte-identical layer files,
 * on real recordings, for two tiny fixture architectures (torchaudio HuBERT; Hugging Face WavLM, with
 * its relative position bias) and, where it has been exported, the full-size random HuBERT-base.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { extract, FIXTURES, storeBytes, tmp } from './helpers.js';

const birds = resolve('../shared/data/birds/labels.csv');
const noData = !existsSync(birds) && `shared data absent: ${birds}`;
const full = JSON.parse(readFileSync(join(FIXTURES, 'features', 'index.json'), 'utf8')).full as { model: string; sha256: string };
const fullModel = resolve(full.model);

async function sameForThreads(model: string, limit: number): Promise<void> {
  const stores: Buffer[][] = [];
  for (const threads of [1, 2, 4]) {
    const out = tmp();
    const r = await extract({ model, dataset: `csv:${birds}`, out, limit, threads });
    assert.equal(r.manifest.summary.ok, limit);
    stores.push(storeBytes(out, r.manifest.layers));
  }
  for (const k of [1, 2])
    stores[k].forEach((b, i) => assert.ok(b.equals(stores[0][i]), `file ${i}: ${[1, 2, 4][k]} threads differ from 1`));
}

for (const name of ['hubert_tiny', 'hf_wavlm_tiny']) {
  test(`${name} on 6 real clips: --threads 1, 2 and 4 give the same store bytes`, { skip: noData }, async () => {
    await sameForThreads(join(FIXTURES, 'models', `${name}.onnx`), 6);
  });
}

function fullSkip(): string | false {
  if (noData) return noData;
  if (!existsSync(fullModel)) return `full-size model absent: ${fullModel} (/usr/bin/python3 tools/export_models.py --only-full)`;
  const sha = createHash('sha256').update(readFileSync(fullModel)).digest('hex');
  return sha === full.sha256 ? false : `${fullModel} is another export than the one this was measured with`;
}

test('full-size random HuBERT-base on 2 real clips: --threads 1, 2 and 4 give the same store bytes', {
  skip: fullSkip(),
  timeout: 600_000,
}, async () => {
  await sameForThreads(fullModel, 2);
});

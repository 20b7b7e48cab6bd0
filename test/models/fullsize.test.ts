import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectModel } from '../../lib/models/inspect.js';
import { openLayerModel } from '../../lib/models/layerModel.js';
import { readNpy } from '../../lib/util/npy.js';
import { relErr } from './fixtures.js';

// Written by `/usr/bin/python3 tools/export_models.py --full` (not committed: ~360 MB).
const dir = join(import.meta.dirname, '..', '..', '.cache', 'models');
const info = join(dir, 'hubert-base-random.json');
const skip = !existsSync(info) && `full-size model absent: run /usr/bin/python3 tools/export_models.py --full (${info})`;

test('full-size random HuBERT-base: inspect reports 13 x 768 and ~94.4 M parameters', { skip }, () => {
  const meta = JSON.parse(readFileSync(info, 'utf8'));
  const r = inspectModel(join(dir, meta.file));
  assert.equal(r.layers?.count, 13);
  assert.equal(r.layers?.dim, 768);
  assert.ok(Math.abs(r.parameters - meta.params) / meta.params < 1e-3, `${r.parameters} vs torch ${meta.params}`);
});

test('full-size random HuBERT-base taps, runs and matches torchaudio per layer to 1e-4', { skip }, async () => {
  const meta = JSON.parse(readFileSync(info, 'utf8'));
  const model = await openLayerModel(join(dir, meta.file), {
    cacheDir: mkdtempSync(join(tmpdir(), 'bp-full-')),
    expectLayers: 13,
    session: { threads: 2 },
  });
  try {
    const out = await model.embed(readNpy(join(dir, meta.clip)).data);
    const ref = readNpy(join(dir, meta.refs.layers));
    const size = out.frames * out.dim;
    assert.equal(ref.shape[1], out.frames);
    for (let l = 0; l < 13; l++) {
      const err = relErr(out.layers[l], ref.data.subarray(l * size, (l + 1) * size));
      assert.ok(err <= 1e-4, `layer ${l}: ${err.toExponential(2)}`);
    }
  } finally {
    await model.dispose();
  }
});

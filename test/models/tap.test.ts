import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLayerModel } from '../../lib/models/layerModel.js';
import { readNpy } from '../../lib/util/npy.js';
import { clip, fixturePath, index, relErr } from './fixtures.js';

const TOL = 1e-4; // max|ours - torchaudio| / max|torchaudio|, per layer and clip
const cacheDir = mkdtempSync(join(tmpdir(), 'bioprobe-tap-'));

for (const [id, m] of Object.entries(index.models)) {
  for (const layer0 of ['encoder-input', 'projection'] as const) {
    test(`${id} (${m.outputs.join(',')} only, opset ${m.opset}) tapped with layer 0 = ${layer0} matches torchaudio to ${TOL}`, async () => {
      const model = await openLayerModel(fixturePath(m.file), { layer0, cacheDir, expectLayers: m.layers, session: { threads: 1 } });
      try {
        assert.equal(model.layers, m.layers);
        assert.equal(model.dim, m.dim);
        for (const [name, ref] of Object.entries(m.refs)) {
          const out = await model.embed(clip(name));
          assert.equal(out.frames, ref.frames, `${name} frames`);
          const layers = readNpy(fixturePath(ref.layers));
          const proj = readNpy(fixturePath(ref.projection)).data;
          const size = ref.frames * m.dim;
          for (let l = 0; l < m.layers; l++) {
            const want = l === 0 && layer0 === 'projection' ? proj : layers.data.subarray(l * size, (l + 1) * size);
            const err = relErr(out.layers[l], want);
            assert.ok(err <= TOL, `${id} ${name} layer ${l}: relative error ${err.toExponential(2)} > ${TOL}`);
          }
        }
      } finally {
        await model.dispose();
      }
    });
  }
}

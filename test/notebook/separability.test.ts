import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layerSeparability } from '../../lib/notebook/separability.js';
import { writeNpy } from '../../lib/util/npy.js';

test('separability is high where the classes differ and ~0 where they do not; skipped clips are left out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bp-sep-'));
  const n = 40,
    D = 4;
  const labels = Array.from({ length: n }, (_, i) => (i % 2 ? 'a' : 'b'));
  // a deterministic pseudo-noise
  let x = 7;
  const noise = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  const l0 = new Float32Array(n * D),
    l1 = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < D; d++) {
      l0[i * D + d] = (labels[i] === 'a' ? 1 : -1) + 0.1 * noise(); // separated
      l1[i * D + d] = noise(); // unrelated to the class
    }
  }
  // clip 3 is skipped: a huge value there must not count
  l1[3 * D] = 1e6;
  writeNpy(join(dir, 'layer_00.npy'), l0, [n, D]);
  writeNpy(join(dir, 'layer_01.npy'), l1, [n, D]);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ format: 'bioprobe.features/1', layers: 2, dim: D, count: n }));
  writeFileSync(
    join(dir, 'clips.csv'),
    'index,path,label,start,end,status\n' +
      labels.map((l, i) => `${i},c${i}.wav,${l},,,${i === 3 ? 'empty: empty file' : 'ok'}`).join('\n') +
      '\n',
  );
  const s = layerSeparability(dir);
  assert.equal(s.length, 2);
  assert.ok(s[0].ratio > 50, `separated layer: ${s[0].ratio}`);
  assert.ok(s[1].ratio < 0.3, `noise layer: ${s[1].ratio}`);
  assert.equal(s[0].constantDims, 0);
});

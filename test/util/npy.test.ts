import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NpyRowWriter, npyHeader, readNpy, readNpyHeader, readNpyRows, writeNpy } from '../../lib/util/npy.js';
import { BioprobeError } from '../../lib/util/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'bioprobe-npy-'));

test('header is v1.0, 64-byte aligned, ends with newline', () => {
  const h = npyHeader([875, 1536]);
  assert.equal(h.length % 64, 0);
  assert.equal(h[6], 1);
  assert.equal(h[h.length - 1], 0x0a);
  assert.match(h.toString('latin1'), /'descr': '<f4', 'fortran_order': False, 'shape': \(875, 1536\)/);
  assert.match(npyHeader([7]).toString('latin1'), /'shape': \(7,\)/);
});

test('write then read round-trips values and shape', () => {
  const p = join(dir, 'a.npy');
  const data = Float32Array.from({ length: 12 }, (_, i) => i * 0.5 - 1);
  writeNpy(p, data, [3, 4]);
  const r = readNpy(p);
  assert.deepEqual(r.shape, [3, 4]);
  assert.deepEqual(Array.from(r.data), Array.from(data));
  const rows = readNpyRows(p, 1, 3);
  assert.deepEqual(rows.shape, [2, 4]);
  assert.deepEqual(Array.from(rows.data), Array.from(data.subarray(4)));
  // exact file size: header + 12 float32
  assert.equal(readFileSync(p).length, readNpyHeader(p).dataOffset + 48);
});

test('row writer preallocates zeros and writes rows in any order, reopens existing', () => {
  const p = join(dir, 'rows.npy');
  const w = new NpyRowWriter(p, 4, 2);
  w.writeRow(2, Float32Array.of(5, 6));
  w.close();
  const w2 = new NpyRowWriter(p, 4, 2, { create: false });
  w2.writeRow(0, Float32Array.of(1, 2));
  assert.throws(() => w2.writeRow(1, Float32Array.of(1)), BioprobeError);
  w2.close();
  assert.deepEqual(Array.from(readNpy(p).data), [1, 2, 0, 0, 5, 6, 0, 0]);
  assert.throws(() => new NpyRowWriter(p, 5, 2, { create: false }), /expected \[5, 2\]/);
});

test('rejects files that are not .npy and unsupported dtypes', () => {
  const p = join(dir, 'bad.npy');
  writeFileSync(p, 'hello world, not numpy');
  assert.throws(
    () => readNpyHeader(p),
    (e: unknown) => e instanceof BioprobeError && e.code === 'npy-magic' && e.oneLine().includes(p),
  );
  const h = npyHeader([2], '<f4').toString('latin1').replace('<f4', '>f4');
  writeFileSync(p, Buffer.concat([Buffer.from(h, 'latin1'), Buffer.alloc(8)]));
  assert.throws(() => readNpyHeader(p), /unsupported .npy dtype >f4/);
});

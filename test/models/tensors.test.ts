import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { asFloat32, halfToFloat } from '../../lib/models/tensors.js';

test('half-precision bits convert exactly (normal, subnormal, zero, inf, NaN)', () => {
  const cases: [number, number][] = [
    [0x3c00, 1],
    [0xc000, -2],
    [0x3555, 0.333251953125],
    [0x7bff, 65504],
    [0x0001, 2 ** -24],
    [0x0400, 2 ** -14],
    [0x0000, 0],
    [0x7c00, Infinity],
    [0xfc00, -Infinity],
  ];
  for (const [bits, want] of cases) assert.equal(halfToFloat(bits), want, bits.toString(16));
  assert.ok(Number.isNaN(halfToFloat(0x7e00)));
});

test('asFloat32 passes float32 through and converts float16 / float64 tensors', () => {
  const f32 = new ort.Tensor('float32', new Float32Array([1, 2]), [2]);
  assert.equal(asFloat32(f32, 'x'), f32.data);
  const f16 = new ort.Tensor('float16', new Uint16Array([0x3c00, 0xc000]), [2]);
  assert.deepEqual(Array.from(asFloat32(f16, 'x')), [1, -2]);
  assert.deepEqual(Array.from(asFloat32(new ort.Tensor('float64', new Float64Array([0.5]), [1]), 'x')), [0.5]);
  assert.throws(() => asFloat32(new ort.Tensor('int32', new Int32Array([1]), [1]), 'x'), /not a floating-point tensor/);
});

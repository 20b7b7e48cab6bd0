/** Reading the probe's PyTorch fixtures (arrays are stored as base64 of little-endian float32), and the tolerances they are held to. */
import assert from 'node:assert/strict';

/** A base64 float32 array of a fixture. */
export function f32(b64: string): Float32Array {
  const b = Buffer.from(b64, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
}

/**
 * Relative closeness per element with a float32 floor at the tensor's scale, per stacked probe:
 * |ours - torch| <= rtol |torch| + floor max|torch| (the floor is float32 rounding at the tensor's own
 * scale: an element far below its tensor's largest comes out of sums of larger terms).
 */
export function closeRel(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  what: string,
  probes = 1,
  rtol = 1e-5,
  floor = 2e-6,
): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const per = actual.length / probes;
  for (let l = 0; l < probes; l++) {
    let scale = 0;
    for (let i = l * per; i < (l + 1) * per; i++) scale = Math.max(scale, Math.abs(expected[i]));
    for (let i = l * per; i < (l + 1) * per; i++) {
      const err = Math.abs(actual[i] - expected[i]);
      assert.ok(
        err <= rtol * Math.abs(expected[i]) + floor * scale,
        `${what}[${i}]: ${actual[i]} vs torch ${expected[i]} (error ${err.toExponential(2)}, ${(err / Math.abs(expected[i])).toExponential(2)} relative; tensor scale ${scale.toExponential(2)})`,
      );
    }
  }
}

/** One float32 ulp at v. */
export function ulp(v: number): number {
  const f = new Float32Array([Math.abs(v)]);
  const u = new Uint32Array(f.buffer);
  u[0]++;
  return f[0] - Math.abs(v);
}

/**
 * Updated parameters after `steps` Adam steps (lrs: one per stacked probe): where the gradient is well-conditioned, the error is held
 * relative to how far Adam moves an element, about lr per step (step 1: |update| = lr |g| / (|g| + eps));
 * the net update of several steps can cancel to far less, so it is not the scale. Where |grad| < 1e-6:
 * within `lr` per step.
 */
export function closeUpdate(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  grads: ArrayLike<number>,
  lrs: number[],
  steps: number,
  what: string,
): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const per = actual.length / lrs.length;
  let illConditioned = 0;
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    const path = lrs[Math.floor(i / per)] * steps;
    if (Math.abs(grads[i]) >= 1e-6) {
      assert.ok(
        err <= 1e-4 * path + 2 * ulp(expected[i]),
        `${what}[${i}]: error ${err.toExponential(2)}, ${(err / path).toExponential(2)} of lr x steps (grad ${grads[i]})`,
      );
    } else {
      if (grads[i] !== 0) illConditioned++;
      assert.ok(err <= path * 1.01, `${what}[${i}]: error ${err} beyond one Adam step per step (grad ${grads[i]})`);
    }
  }
  assert.ok(illConditioned <= Math.max(4, actual.length * 0.01), `${what}: ${illConditioned} tiny non-zero gradients, too many to excuse`);
}

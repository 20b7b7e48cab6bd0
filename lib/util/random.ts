/**
 * torch.randperm(n, generator=torch.Generator().manual_seed(seed)) on the CPU, bit-exact.
 * PyTorch's CPU randperm (n < 2^24 path used here) draws from MT19937 seeded with init_genrand(seed):
 * for i in 0..n-2: z = next32() mod (n - i); swap p[i], p[i + z]. The paper's split is built on it.
 */

/** MT19937, 32-bit outputs, seeded like std::mt19937 / init_genrand. */
export class MT19937 {
  private readonly mt = new Uint32Array(624);
  private i = 624;
  constructor(seed: number) {
    this.mt[0] = seed >>> 0;
    for (let k = 1; k < 624; k++) {
      const prev = this.mt[k - 1] ^ (this.mt[k - 1] >>> 30);
      // 1812433253 * prev + k, modulo 2^32, without losing precision
      this.mt[k] = (Math.imul(1812433253, prev) + k) >>> 0;
    }
  }
  next(): number {
    const mt = this.mt;
    if (this.i >= 624) {
      for (let k = 0; k < 624; k++) {
        const y = (mt[k] & 0x80000000) | (mt[(k + 1) % 624] & 0x7fffffff);
        mt[k] = mt[(k + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.i = 0;
    }
    let y = mt[this.i++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
}

/** torch.randperm(n) with a generator seeded `seed` (CPU). */
export function torchRandperm(n: number, seed: number): Int32Array {
  return randpermFrom(n, new MT19937(seed));
}

/** A permutation of 0..n-1 by torch's randperm algorithm, drawing from `rng` (a persistent generator: the probe's shuffles). */
export function randpermFrom(n: number, rng: MT19937): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const z = rng.next() % (n - i);
    const t = p[i];
    p[i] = p[i + z];
    p[i + z] = t;
  }
  return p;
}

/**
 * Synthetic IMV-sized features for bench/cka.ts, generated on demand instead of written to disk
 * (7 models x 13 layers x 72,920 clips x 1536 float32 would be 41 GB). Row i of layer l of model m is
 *   a_l G[g(i)] + b_l M_m[h_m(i)] + c_l N_{m,l}[k_{m,l}(i)] + offset_{m,l}
 * where G (shared by every model: the clips' common structure), M_m (one per model) and the noise
 * banks N are 8192-row banks of independent rows with power-law column variances j^-α (G α = 2,
 * M_m α = 1.5, N α = 1 at weight c = 0.2), and g, h_m, k_{m,l} map clips to bank rows. The top 64
 * directions of a layer hold about 90 % of its variance (the tail decays as j^-1). Deeper layers weigh G
 * more, so layers of a model are more alike the closer they are and deep layers of different models
 * are alike; every layer has a full-rank, power-law spectrum. Generation is plain JavaScript into two
 * reused whole-layer buffers (the last two layers generated are kept, as the page cache would keep a
 * layer file between the low-rank mode's reads); `genSeconds` counts the time spent generating.
 */
import type { LayerSource } from '../lib/analysis/index.js';
import { uniformFill } from '../lib/analysis/linalg.js';

export interface SynthOptions {
  n: number;
  models: number;
  layers: number;
  dim: number;
  seed: number;
}

const BANK = 8192;

function bank(p: number, alpha: number, seed: number): Float32Array {
  const b = new Float32Array(BANK * p);
  uniformFill(b, seed);
  const scale = Float32Array.from({ length: p }, (_, j) => Math.sqrt(12) * (j + 1) ** (-alpha / 2));
  for (let i = 0; i < BANK; i++) for (let j = 0; j < p; j++) b[i * p + j] *= scale[j];
  return b;
}

export class SyntheticFeatures {
  /** Wall and CPU seconds spent generating (to subtract from a timed run). */
  genSeconds = 0;
  genCpuSeconds = 0;
  private readonly g: Float32Array;
  private readonly m: Float32Array[];
  private readonly noise: Float32Array[];
  private readonly slots: { model: number; layer: number; data: Float32Array }[];
  private next = 0;

  constructor(readonly o: SynthOptions) {
    const p = o.dim;
    this.g = bank(p, 2, o.seed);
    this.m = Array.from({ length: o.models }, (_, i) => bank(p, 1.5, o.seed + 10 + i));
    this.noise = Array.from({ length: 4 }, (_, i) => bank(p, 1, o.seed + 100 + i));
    this.slots = [0, 1].map(() => ({ model: -1, layer: -1, data: new Float32Array(o.n * p) }));
  }

  /** Layer l of model m into `out` (module comment). */
  private generate(m: number, l: number, out: Float32Array): void {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const { n, dim: p, layers } = this.o;
    const t = layers > 1 ? l / (layers - 1) : 0;
    const a = 0.4 + 0.6 * t;
    const b = 1.0 - 0.6 * t;
    const c = 0.2;
    const noise = this.noise[(m + l) % this.noise.length];
    const M = this.m[m];
    const offset = new Float32Array(p);
    uniformFill(offset, 9000 + 100 * m + l);
    const stepG = 2 * 1237 + 1;
    const stepM = 2 * (311 + 17 * m) + 1;
    const stepN = 2 * ((m * 131 + l * 17) % 2000) + 1;
    const shiftN = (m * 977 + l * 331) % BANK;
    for (let i = 0; i < n; i++) {
      const go = ((i * stepG) % BANK) * p;
      const mo = ((i * stepM + 7 * m) % BANK) * p;
      const no = ((i * stepN + shiftN) % BANK) * p;
      const oo = i * p;
      for (let j = 0; j < p; j++) out[oo + j] = a * this.g[go + j] + b * M[mo + j] + c * noise[no + j] + 4 * offset[j];
    }
    this.genSeconds += (performance.now() - t0) / 1000;
    const used = process.cpuUsage(c0);
    this.genCpuSeconds += (used.user + used.system) / 1e6;
  }

  private layer(m: number, l: number): Float32Array {
    const hit = this.slots.find((s) => s.model === m && s.layer === l);
    if (hit) return hit.data;
    const slot = this.slots[this.next];
    this.next = 1 - this.next;
    this.generate(m, l, slot.data);
    slot.model = m;
    slot.layer = l;
    return slot.data;
  }

  /** Model m as a LayerSource. */
  source(m: number): LayerSource {
    const { n, dim, layers } = this.o;
    return {
      name: `model${m}`,
      layers,
      dim,
      rows: n,
      read: (layer, start, end, out) => {
        out.set(this.layer(m, layer).subarray(start * dim, end * dim));
      },
    };
  }

  release(): void {
    this.slots.length = 0;
  }
}

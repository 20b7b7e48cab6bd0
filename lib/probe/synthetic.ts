/**
 * Synthetic features directories with class structure, for benchmarks, parity runs and tests: each
 * class has a random centre; a clip is its class centre scaled by the layer's separation plus unit
 * Gaussian noise, so probes learn and layers differ (separation rises then falls over the layers).
 * Deterministic for a seed. Also writes `labels.csv` (the PyTorch reference script's input).
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { writeClipsCsv } from '../features/clipsCsv.js';
import { formatCsv } from '../util/csv.js';
import { MT19937 } from '../util/random.js';
import { npyHeader } from '../util/npy.js';
import { uniform01 } from './init.js';

export interface SyntheticOptions {
  n: number;
  dim: number;
  classes: number;
  layers: number;
  /** Seed of the labels (the dataset). */
  seed?: number;
  /** Seed of the class centres and noise (the "model"); default: `seed`. Same seed, other featureSeed: same clips, another model. */
  featureSeed?: number;
  /** Model name written to the manifest. */
  model?: string;
  /** Peak class separation (centre scale) over the layers. */
  separation?: number;
  /** Fraction of rows whose label is replaced by a random class (caps the reachable UAR). */
  labelNoise?: number;
}

/** Standard normal draws (Box-Muller). */
function gaussian(rng: MT19937): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const u = Math.max(uniform01(rng), 1e-12);
    const v = uniform01(rng);
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** Write manifest.json, clips.csv, labels.csv and layer_XX.npy into `dir`. */
export function writeSyntheticFeatures(dir: string, o: SyntheticOptions): void {
  mkdirSync(dir, { recursive: true });
  const rng = new MT19937(o.seed ?? 1);
  const g = gaussian(new MT19937((o.featureSeed ?? o.seed ?? 1) + 0x51ed));
  const sep = o.separation ?? 0.15;
  const labels = Int32Array.from({ length: o.n }, () => Math.floor(uniform01(rng) * o.classes));
  const observed = Int32Array.from(labels, (c) => (uniform01(rng) < (o.labelNoise ?? 0) ? Math.floor(uniform01(rng) * o.classes) : c));
  const names = Array.from({ length: o.classes }, (_, c) => `class_${String(c).padStart(2, '0')}`);
  const items = Array.from({ length: o.n }, (_, i) => ({ index: i, path: `clip_${i}.wav`, label: names[observed[i]] }));
  writeClipsCsv(join(dir, 'clips.csv'), items, (i) => ({ i, status: 'ok' }));
  writeFileSync(join(dir, 'labels.csv'), formatCsv(['path', 'label'], items));
  const chunk = 1024;
  for (let l = 0; l < o.layers; l++) {
    const scale = sep * (0.4 + Math.sin((Math.PI * (l + 1)) / (o.layers + 1)));
    const centres = Float32Array.from({ length: o.classes * o.dim }, () => g() * scale);
    const fd = openSync(join(dir, `layer_${String(l).padStart(2, '0')}.npy`), 'w');
    const header = npyHeader([o.n, o.dim]);
    writeSync(fd, header);
    const buf = new Float32Array(chunk * o.dim);
    for (let s = 0; s < o.n; s += chunk) {
      const e = Math.min(o.n, s + chunk);
      for (let i = s; i < e; i++) {
        const c = labels[i] * o.dim;
        for (let d = 0; d < o.dim; d++) buf[(i - s) * o.dim + d] = centres[c + d] + g();
      }
      writeSync(fd, new Uint8Array(buf.buffer, 0, (e - s) * o.dim * 4));
    }
    closeSync(fd);
  }
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify(
      {
        format: 'bioprobe.features/1',
        model: o.model ?? 'synthetic',
        dataset: `synthetic:${o.n}x${o.classes}`,
        layers: o.layers,
        dim: o.dim,
        count: o.n,
        generator: { ...o, seed: o.seed ?? 1, separation: sep },
      },
      null,
      2,
    ) + '\n',
  );
}

/**
 * A quick look before probing: how far apart the classes are in each layer's pooled features. For every
 * dimension, the ratio of between-class to within-class variance (the one-way ANOVA F statistic without
 * degrees-of-freedom scaling), averaged over dimensions. Higher means the classes differ more on that
 * layer; it is a linear, per-dimension view, so the probe can still find more.
 */
import { join } from 'node:path';
import { readClipsCsv } from '../features/clipsCsv.js';
import { layerFileName, readManifest } from '../features/manifest.js';
import { BioprobeError } from '../util/errors.js';
import { readNpy } from '../util/npy.js';

export interface LayerSeparability {
  layer: number;
  /** Mean over dimensions of between-class variance / within-class variance. */
  ratio: number;
  /** Dimensions whose within-class variance is 0 (constant features), left out of the mean. */
  constantDims: number;
}

/** Per-layer class separability of a features folder, over its usable clips. */
export function layerSeparability(featuresDir: string): LayerSeparability[] {
  const m = readManifest(featuresDir);
  if (!m) throw new BioprobeError('features', 'no-manifest', 'not a finished features folder (no manifest.json)', { file: featuresDir });
  // row k of every layer file is row k of clips.csv
  const ok = readClipsCsv(join(featuresDir, 'clips.csv'))
    .map((r, row) => ({ ...r, row }))
    .filter((r) => r.record.status === 'ok');
  const classes = [...new Set(ok.map((r) => r.item.label))].sort();
  const cls = ok.map((r) => classes.indexOf(r.item.label));
  const out: LayerSeparability[] = [];
  for (let l = 0; l < m.layers; l++) {
    const { data, shape } = readNpy(join(featuresDir, layerFileName(l)));
    const D = shape[1];
    let sum = 0,
      used = 0,
      constant = 0;
    for (let d = 0; d < D; d++) {
      const n = new Float64Array(classes.length),
        s = new Float64Array(classes.length),
        ss = new Float64Array(classes.length);
      let total = 0;
      ok.forEach((r, k) => {
        const v = data[r.row * D + d];
        n[cls[k]]++;
        s[cls[k]] += v;
        ss[cls[k]] += v * v;
        total += v;
      });
      const mean = total / ok.length;
      let between = 0,
        within = 0;
      for (let c = 0; c < classes.length; c++) {
        if (n[c] === 0) continue;
        const mc = s[c] / n[c];
        between += n[c] * (mc - mean) ** 2;
        within += ss[c] - n[c] * mc * mc;
      }
      if (within <= 1e-12 * Math.max(1, between)) {
        constant++;
        continue;
      }
      sum += between / within;
      used++;
    }
    out.push({ layer: l, ratio: used ? sum / used : 0, constantDims: constant });
  }
  return out;
}

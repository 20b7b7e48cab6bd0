/**
 * A confusion matrix you can open: for one layer (or the fusion) of a results folder, which clips sit in
 * each cell, so a notebook can list them and play them. Rows of predictions/<name>.<split>.npy follow the
 * split's items in dataset order, skipping clips that extraction could not use (clips.csv status).
 */
import { layerIndex, loadResultsDir, resultName } from '../results/index.js';
import { readNpy } from '../util/npy.js';
import { BioprobeError } from '../util/errors.js';
import { escapeHtml } from './html.js';

export interface CellClip {
  index: number;
  path: string;
  label: string;
  predicted: string;
  /** Posterior of the predicted class. */
  confidence: number;
}

export interface ConfusionView {
  resultsDir: string;
  /** `layer_03` or `fusion`. */
  source: string;
  split: string;
  classes: string[];
  /** counts[true][predicted] */
  counts: number[][];
  /** clips[true][predicted] */
  clips: CellClip[][][];
}

/** The layer with the highest mean validation UAR in results.csv. */
export function bestValLayer(resultsDir: string): number {
  const dir = loadResultsDir(resultsDir);
  const byLayer = new Map<number, number[]>();
  for (const r of dir.results) {
    const l = layerIndex(r);
    if (r.split === 'val' && l !== null) byLayer.set(l, [...(byLayer.get(l) ?? []), r.uar]);
  }
  let best = -1,
    bestUar = -Infinity;
  for (const [l, v] of byLayer) {
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    if (m > bestUar) {
      best = l;
      bestUar = m;
    }
  }
  if (best < 0) throw new BioprobeError('probe', 'no-val-rows', 'results.csv has no validation rows', { file: resultsDir });
  return best;
}

export function confusionView(resultsDir: string, opts: { layer: number | 'fusion'; split?: 'val' | 'test' }): ConfusionView {
  const split = opts.split ?? 'test';
  const source = opts.layer === 'fusion' ? 'fusion' : resultName(opts.layer);
  const dir = loadResultsDir(resultsDir);
  const file = dir.predictions(source, split);
  if (!file || !dir.classes || !dir.split) {
    throw new BioprobeError('probe', 'no-predictions', `no predictions/${source}.${split}.npy with classes.json and split.csv`, {
      file: resultsDir,
    });
  }
  const { data, shape } = readNpy(file);
  const [n, C] = shape;
  const classes = dir.classes;
  let rows = dir.split.filter((r) => r.split === split);
  if (rows.length !== n && dir.clips) {
    const ok = new Set(dir.clips.filter((c) => c.record.status === 'ok').map((c) => c.item.index));
    rows = rows.filter((r) => ok.has(r.index));
  }
  if (rows.length !== n || C !== classes.length) {
    throw new BioprobeError(
      'probe',
      'predictions-mismatch',
      `${n} x ${C} predictions for ${rows.length} ${split} items and ${classes.length} classes`,
      { file },
    );
  }
  const counts = classes.map(() => new Array<number>(C).fill(0));
  const clips: CellClip[][][] = classes.map(() => classes.map(() => []));
  rows.forEach((r, i) => {
    const t = classes.indexOf(r.label);
    if (t < 0) return;
    let arg = 0;
    for (let j = 1; j < C; j++) if (data[i * C + j] > data[i * C + arg]) arg = j;
    counts[t][arg]++;
    clips[t][arg].push({ index: r.index, path: r.path, label: r.label, predicted: classes[arg], confidence: data[i * C + arg] });
  });
  return { resultsDir, source, split, classes, counts, clips };
}

/**
 * The matrix as an HTML table, rows = true class, columns = predicted, cells shaded by row share; each
 * non-empty cell opens (<details>) to the list of its clips (up to `maxClips`).
 */
export function confusionHtml(v: ConfusionView, opts: { maxClips?: number } = {}): string {
  const max = opts.maxClips ?? 12;
  const head = v.classes.map((c) => `<th style="writing-mode:vertical-rl;padding:2px">${escapeHtml(c)}</th>`).join('');
  const body = v.classes
    .map((c, t) => {
      const total = v.counts[t].reduce((a, b) => a + b, 0) || 1;
      const cells = v.counts[t]
        .map((k, p) => {
          const share = k / total;
          const bg = `rgba(33,102,172,${(0.85 * share).toFixed(3)})`;
          const color = share > 0.5 ? '#fff' : '#000';
          if (k === 0) return `<td style="text-align:center;color:#bbb">0</td>`;
          const list = v.clips[t][p]
            .slice(0, max)
            .map((x) => `<li>#${x.index} ${escapeHtml(x.path.split(/[\\/]/).pop())} (${(100 * x.confidence).toFixed(0)}%)</li>`)
            .join('');
          const more = v.clips[t][p].length > max ? `<li>… ${v.clips[t][p].length - max} more</li>` : '';
          return `<td style="background:${bg};color:${color};vertical-align:top"><details><summary>${k}</summary><ul style="margin:0;padding-left:14px;font-size:11px;color:#000;background:#fff">${list}${more}</ul></details></td>`;
        })
        .join('');
      return `<tr><th style="text-align:right;padding-right:4px">${escapeHtml(c)}</th>${cells}</tr>`;
    })
    .join('');
  const caption = `${escapeHtml(v.source)} · ${escapeHtml(v.split)} split · rows: true class, columns: predicted; open a cell to see its clips`;
  return (
    `<table style="border-collapse:collapse;font:12px sans-serif"><caption style="caption-side:bottom;color:#555">${caption}</caption>` +
    `<thead><tr><th></th>${head}</tr></thead><tbody>${body}</tbody></table>`
  );
}

/** The clips of one cell, by class names. */
export function cellClips(v: ConfusionView, trueClass: string, predicted: string): CellClip[] {
  const t = v.classes.indexOf(trueClass),
    p = v.classes.indexOf(predicted);
  return t < 0 || p < 0 ? [] : v.clips[t][p];
}

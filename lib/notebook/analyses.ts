/**
 * The four analyses beyond the paper in a notebook, each one call returning HTML for
 * tslab.display.html: per-class recall by layer (with the classes no layer separates), the weighted
 * probe (its scores and learned layer weights), label-efficiency curves and CKA heatmaps. Thin: the
 * numbers come from analysis/ and probe/, the figures from the report.
 */
import { classRecall, readCka, type LayerSimilarity } from '../analysis/index.js';
import { ckaSvgs, classRecallSvg, labelEfficiencySvg, layerWeightsSvg } from '../report/index.js';
import { loadResultsDir } from '../results/index.js';
import { escapeHtml } from './html.js';
import { tableHtml } from './table.js';

/** Per-class test recall by layer of a probe's results folder: a summary line, the heatmap, the unseparated classes. */
export async function classRecallHtml(resultsDir: string, opts: { threshold?: number } = {}): Promise<string> {
  const r = classRecall(resultsDir, opts);
  const head =
    `<p><b>${escapeHtml(r.model)}</b> on ${escapeHtml(r.dataset)}: test recall per class and layer, mean over ${r.seeds.length} seed(s); ` +
    `classes ordered by recall at layer ${r.best_layer} (chosen on ${r.best_layer_by} UAR, outlined).</p>`;
  const table =
    r.unseparated.length === 0
      ? `<p>Every class reaches a mean test recall of ${r.threshold} at some layer.</p>`
      : `<p>Classes no layer separates (mean test recall below ${r.threshold} at every layer; chance ${r.chance.toFixed(3)}):</p>` +
        tableHtml(
          r.unseparated.map((u) => ({ class: u.class, 'test clips': u.n, 'best recall': u.best_recall, 'at layer': u.best_layer })),
          { digits: 3 },
        );
  return head + ((await classRecallSvg(r)) ?? '') + table;
}

/** The weighted probe of a results folder written by `probe --weighted`: test/val UAR over seeds and the layer weights. */
export async function weightedProbeHtml(weightedDir: string): Promise<string> {
  const dir = loadResultsDir(weightedDir);
  const uar = (split: string) => dir.results.filter((r) => r.split === split).map((r) => r.uar);
  const m = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const [test, val] = [uar('test'), uar('val')];
  const line =
    `<p><b>all layers (weighted)</b>: test UAR ${(100 * m(test)).toFixed(2)} %, val UAR ${(100 * m(val)).toFixed(2)} % (mean over ${test.length} seed(s)). ` +
    'Learned softmax weight per layer at the selected epoch, mean ± std over seeds; dashed: the uniform mix.</p>';
  return line + ((await layerWeightsSvg(weightedDir)) ?? '<p>(no layer_weights.csv)</p>');
}

/** Label-efficiency folders (`bioprobe analyze label-efficiency`): test UAR against training clips per class. */
export async function labelEfficiencyHtml(dirs: readonly string[]): Promise<string> {
  const svg = await labelEfficiencySvg(dirs);
  return (
    (svg ?? '') +
    '<p>Test UAR against training clips per class (log\u2082 axis, "all" last); lines: mean over seeds, bands: min\u2013max over seeds.</p>'
  );
}

/** CKA heatmaps of a `layerSimilarity` result or a cka.json file, one per model pair. */
export async function ckaHtml(result: LayerSimilarity | string): Promise<string> {
  const r = typeof result === 'string' ? readCka(result) : result;
  const panels = await ckaSvgs(r);
  return (
    `<p>Linear CKA (${r.mode}, ${r.standardize ? 'standardised' : 'raw'} features) on ${r.clips.used} clips.</p>` +
    panels.map((p) => `<div style="display:inline-block;margin:4px"><p><b>${escapeHtml(p.label)}</b></p>${p.svg}</div>`).join('')
  );
}

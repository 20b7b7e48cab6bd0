/**
 * The analyses' figures one at a time, as SVG, for notebooks: the same charts the report draws, from a
 * class-recall result, a weighted-probe results folder, label-efficiency folders or a CKA result.
 */
import type { ClassRecall, LayerSimilarity } from '../analysis/index.js';
import { loadResultsDir } from '../results/index.js';
import { Warnings } from '../util/warnings.js';
import { ckaChart } from './figures/cka.js';
import { classRecallChart } from './figures/classRecall.js';
import { labelEfficiencyChart } from './figures/labelEfficiency.js';
import { layerWeightsChart } from './figures/layerWeights.js';
import { FULL_WIDTH, PALETTE } from './figures/theme.js';
import { readLabelCurve } from './labelCurves.js';
import { datasetName, modelName } from './names.js';
import { buildStudy } from './study.js';
import { renderSvg } from './svg.js';

/** The per-class recall heatmap of one probe (classes x layers, test split, mean over seeds). */
export async function classRecallSvg(r: ClassRecall, width = FULL_WIDTH): Promise<string | undefined> {
  const spec = classRecallChart(r, { width });
  return spec ? renderSvg(spec, 'nb-recall') : undefined;
}

/** The learned layer weights of a weighted-probe results folder (mean ± std over seeds at the selected epoch). */
export async function layerWeightsSvg(weightedDir: string): Promise<string | undefined> {
  const study = buildStudy([loadResultsDir(weightedDir, new Warnings())]);
  const series = study.datasets.flatMap((d) =>
    d.weighted
      .filter((w) => w.weights)
      .map((w, i) => ({ dataset: d.name, model: w.model.name, colour: PALETTE[i % PALETTE.length], weights: w.weights! })),
  );
  const spec = layerWeightsChart(series);
  return spec ? renderSvg(spec, 'nb-weights') : undefined;
}

/** Label-efficiency curves of label-efficiency folders (a line per model, min-max band over seeds). */
export async function labelEfficiencySvg(dirs: readonly string[]): Promise<string | undefined> {
  const curves = dirs.map((d) => readLabelCurve(d));
  const models = [...new Set(curves.map((c) => c.model))];
  const spec = labelEfficiencyChart(
    curves.map((c) => ({
      dataset: datasetName(c.dataset),
      model: modelName(c.model),
      colour: PALETTE[models.indexOf(c.model) % PALETTE.length],
      points: c.points,
    })),
  );
  return spec ? renderSvg(spec, 'nb-labels') : undefined;
}

/** One CKA heatmap per model pair (pairs of two different models; a model's own pair when it is alone). */
export async function ckaSvgs(r: LayerSimilarity): Promise<{ label: string; svg: string }[]> {
  const others = r.pairs.filter((p) => p.a !== p.b);
  const out: { label: string; svg: string }[] = [];
  for (const [i, p] of (others.length > 0 ? others : r.pairs).entries()) {
    const A = r.models.find((m) => m.name === p.a)!;
    const B = r.models.find((m) => m.name === p.b)!;
    out.push({
      label: `${p.a} \u00d7 ${p.b}`,
      svg: await renderSvg(ckaChart({ a: p.a, b: p.b, layersA: A.layers, layersB: B.layers, cka: p.cka }), `nb-cka-${i}`),
    });
  }
  return out;
}

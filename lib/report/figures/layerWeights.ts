/**
 * The weighted probe's learned layer weights: softmax weight per layer at each seed's selected epoch,
 * mean (point) ± one standard deviation over seeds (bar), one line per model, one panel per dataset.
 * A dashed level marks the uniform mix (1 / layers).
 */
import { facetLayout, LAYER_LABEL_EXPR, layerTicks, withTheme, type VlSpec } from './theme.js';

export interface WeightSeries {
  dataset: string;
  model: string;
  colour: string;
  weights: { layer: number; mean: number; std: number; seeds: number }[];
}

export function layerWeightsChart(series: WeightSeries[]): VlSpec | undefined {
  const values = series.flatMap((s) =>
    s.weights.map((w) => ({
      dataset: s.dataset,
      model: s.model,
      layer: w.layer,
      weight: w.mean,
      lo: Math.max(0, w.mean - w.std),
      hi: w.mean + w.std,
      uniform: 1 / s.weights.length,
    })),
  );
  if (values.length === 0) return undefined;
  const panels = [...new Set(series.map((s) => s.dataset))];
  const models = [...new Set(series.map((s) => s.model))];
  const colours = models.map((m) => series.find((s) => s.model === m)!.colour);
  const maxLayer = Math.max(1, ...values.map((v) => v.layer));
  const { columns, width } = facetLayout(panels.length);
  const colour = {
    field: 'model',
    type: 'nominal',
    scale: { domain: models, range: colours },
    legend: { title: null, columns: Math.min(models.length, 5) },
  };
  const x = {
    field: 'layer',
    type: 'quantitative',
    title: 'Layer',
    scale: { domain: [0, maxLayer], nice: false },
    axis: { values: layerTicks(maxLayer), labelExpr: LAYER_LABEL_EXPR, grid: false },
  };
  return withTheme({
    data: { values },
    facet: { field: 'dataset', type: 'nominal', sort: panels, title: null },
    columns,
    spec: {
      width,
      height: Math.round(width * 0.55),
      layer: [
        {
          mark: { type: 'rule', strokeDash: [3, 3], color: '#888', strokeWidth: 1 },
          encoding: { y: { aggregate: 'mean', field: 'uniform', type: 'quantitative' } },
        },
        {
          mark: { type: 'rule', strokeWidth: 1.2 },
          encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color: colour },
        },
        {
          mark: { type: 'line', strokeWidth: 1.4 },
          encoding: {
            x,
            y: { field: 'weight', type: 'quantitative', title: 'Layer weight (softmax)', scale: { zero: true } },
            color: colour,
          },
        },
        { mark: { type: 'point', filled: true, size: 26 }, encoding: { x, y: { field: 'weight', type: 'quantitative' }, color: colour } },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  });
}

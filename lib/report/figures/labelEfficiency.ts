/**
 * Label efficiency: test UAR (%) against training clips per class on a log2 axis, `all` (every training
 * clip) one octave beyond the largest k and labelled "all"; one line per model through the mean over
 * seeds, a band from the lowest to the highest seed (min-max), one panel per dataset.
 */
import { facetLayout, withTheme, type VlSpec } from './theme.js';

export interface LabelSeries {
  dataset: string;
  model: string;
  colour: string;
  points: { shots: number | 'all'; testUar: number }[];
}

export function labelEfficiencyChart(series: LabelSeries[]): VlSpec | undefined {
  const ks = series.flatMap((s) => s.points.map((p) => p.shots)).filter((k): k is number => k !== 'all');
  if (series.every((s) => s.points.length === 0)) return undefined;
  const allAt = 2 * Math.max(1, ...ks); // `all` sits one octave beyond the largest k
  const values = series.flatMap((s) => {
    const by = new Map<number, number[]>();
    for (const p of s.points) {
      const x = p.shots === 'all' ? allAt : p.shots;
      by.set(x, [...(by.get(x) ?? []), 100 * p.testUar]);
    }
    return [...by]
      .sort((a, b) => a[0] - b[0])
      .map(([x, v]) => ({
        dataset: s.dataset,
        model: s.model,
        band: s.model,
        x,
        uar: round(v.reduce((a, b) => a + b, 0) / v.length),
        lo: round(Math.min(...v)),
        hi: round(Math.max(...v)),
        seeds: v.length,
      }));
  });
  const ticks = [...new Set([...ks, allAt])].sort((a, b) => a - b);
  const panels = [...new Set(series.map((s) => s.dataset))];
  const models = [...new Set(series.map((s) => s.model))];
  const colours = models.map((m) => series.find((s) => s.model === m)!.colour);
  const { columns, width } = facetLayout(panels.length);
  const colour = {
    field: 'model',
    type: 'nominal',
    scale: { domain: models, range: colours },
    legend: { title: null, columns: Math.min(models.length, 5) },
  };
  const x = {
    field: 'x',
    type: 'quantitative',
    title: 'Training clips per class',
    scale: { type: 'log', base: 2, domain: [Math.min(...ticks), allAt], nice: false },
    axis: { values: ticks, labelExpr: `datum.value == ${allAt} ? 'all' : datum.value`, grid: false },
  };
  return withTheme({
    data: { values },
    facet: { field: 'dataset', type: 'nominal', sort: panels, title: null },
    columns,
    spec: {
      width,
      height: Math.round(width * 0.62),
      layer: [
        {
          mark: { type: 'area', opacity: 0.16 },
          encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, fill: { ...colour, field: 'band', legend: null } },
        },
        {
          mark: { type: 'line', strokeWidth: 1.6 },
          encoding: { x, y: { field: 'uar', type: 'quantitative', title: 'Test UAR (%)', scale: { zero: false } }, color: colour },
        },
        { mark: { type: 'point', filled: true, size: 28 }, encoding: { x, y: { field: 'uar', type: 'quantitative' }, color: colour } },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  });
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

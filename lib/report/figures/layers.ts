/**
 * Fig. 3 and Fig. 4: test UAR per layer, one panel per dataset, one line per model (layer 0 = "CNN").
 * With several seeds a band shows ± one standard deviation over seeds (clipped to 0-100): with 2-3
 * seeds a 95 % t-interval is too wide to read, and Table III gives the intervals. A ring marks the
 * layer each model's validation scores chose; a single-layer model (a baseline feature) is a dotted level.
 */
import type { StudyDataset, StudyModel } from '../study.js';
import { facetLayout, LAYER_LABEL_EXPR, layerTicks, PALETTE, withTheme, type VlSpec } from './theme.js';

interface LayerChartOptions {
  /** Models to draw, in legend order. */
  models: StudyModel[];
  /** Shape per model (vega symbol names); defaults to circles. */
  shapes?: Map<StudyModel, string>;
  /** Colour per model, so a model keeps its colour across figures; defaults to the palette in order. */
  colours?: Map<StudyModel, string>;
  /** Dash pattern per model; defaults to solid. */
  dashes?: Map<StudyModel, number[]>;
}

/** `band` repeats `model`: the interval band gets its own (legend-less) scale, so legends never conflict. */
interface Point {
  dataset: string;
  model: string;
  band: string;
  layer: number;
  uar: number;
  lo: number;
  hi: number;
  selected: boolean;
  single: boolean;
}

/** The spec, or undefined when no dataset has per-layer test scores for these models. */
export function layerChart(datasets: StudyDataset[], opts: LayerChartOptions): VlSpec | undefined {
  const names = opts.models.map((m) => m.name);
  const values: Point[] = [];
  for (const ds of datasets) {
    for (const r of ds.results) {
      if (!opts.models.includes(r.model)) continue;
      for (const l of r.layers) {
        if (l.test)
          values.push({
            dataset: ds.name,
            model: r.model.name,
            band: r.model.name,
            layer: l.layer,
            uar: round(l.test.mean),
            lo: round(Math.max(0, l.test.mean - l.test.std)),
            hi: round(Math.min(100, l.test.mean + l.test.std)),
            selected: r.selected?.layer === l.layer && !r.model.singleLayer,
            single: r.model.singleLayer,
          });
      }
    }
  }
  if (values.length === 0) return undefined;
  const panels = datasets.filter((d) => values.some((v) => v.dataset === d.name)).map((d) => d.name);
  const usedModels = opts.models.filter((m) => values.some((v) => v.model === m.name));
  const maxLayer = Math.max(1, ...values.map((v) => v.layer));
  const curves = { filter: '!datum.single' };
  const { columns, width } = facetLayout(panels.length);
  const withBand = values.some((v) => v.hi > v.lo);
  const colour = {
    field: 'model',
    type: 'nominal',
    sort: names,
    scale: {
      domain: usedModels.map((m) => m.name),
      range: usedModels.map((m) => opts.colours?.get(m) ?? PALETTE[opts.models.indexOf(m) % PALETTE.length]),
    },
    legend: { title: null, columns: Math.min(usedModels.length, 5) },
  };
  const x = {
    field: 'layer',
    type: 'quantitative',
    title: 'Layer',
    scale: { domain: [0, maxLayer], nice: false },
    axis: { values: layerTicks(maxLayer), labelExpr: LAYER_LABEL_EXPR, grid: false },
  };
  const layers: VlSpec[] = [];
  if (withBand) {
    layers.push({
      transform: [curves],
      mark: { type: 'area', opacity: 0.16 },
      encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, fill: { ...colour, field: 'band', legend: null } },
    });
  }
  const shapes = opts.shapes
    ? {
        field: 'model',
        type: 'nominal',
        sort: names,
        scale: { domain: usedModels.map((m) => m.name), range: usedModels.map((m) => opts.shapes!.get(m) ?? 'circle') },
      }
    : undefined;
  const dashes = opts.dashes
    ? {
        field: 'model',
        type: 'nominal',
        sort: names,
        scale: { domain: usedModels.map((m) => m.name), range: usedModels.map((m) => opts.dashes!.get(m) ?? [1, 0]) },
      }
    : undefined;
  layers.push({
    transform: [curves],
    mark: { type: 'line', point: false, strokeWidth: 1.6 },
    encoding: {
      x,
      y: { field: 'uar', type: 'quantitative', title: 'Test UAR (%)', scale: { zero: false } },
      color: colour,
      ...(dashes ? { strokeDash: dashes } : {}),
    },
  });
  layers.push({
    transform: [curves],
    mark: { type: 'point', filled: true, size: 30 },
    encoding: { x, y: { field: 'uar', type: 'quantitative' }, color: colour, ...(shapes ? { shape: shapes } : {}) },
  });
  // a single-layer model (a baseline feature) is a level, drawn across all layers
  if (values.some((v) => v.single)) {
    layers.push({
      transform: [{ filter: 'datum.single' }],
      mark: { type: 'rule', strokeDash: [2, 2], strokeWidth: 1.4 },
      encoding: { y: { field: 'uar', type: 'quantitative' }, color: colour },
    });
  }
  // a ring around each model's selected layer (chosen on validation)
  layers.push({
    transform: [{ filter: 'datum.selected' }],
    mark: { type: 'point', filled: false, size: 150, strokeWidth: 1.3, shape: 'circle' },
    encoding: { x, y: { field: 'uar', type: 'quantitative' }, stroke: { ...colour, field: 'band', legend: null } },
  });
  return withTheme({
    data: { values },
    facet: { field: 'dataset', type: 'nominal', sort: panels, title: null },
    columns,
    spec: { width, height: Math.round(width * 0.62), layer: layers },
    resolve: { scale: { y: 'independent' } },
  });
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/** The look shared by every figure: a quiet, print-friendly style (serif-free labels, light grids). */

export type VlSpec = Record<string, unknown>;

const FIGURE_FONT = 'Liberation Sans, DejaVu Sans, Helvetica, Arial, sans-serif';

/** Width in CSS px of a full-width figure on A4 with the report's margins. */
export const FULL_WIDTH = 620;

/** Colour-blind-safe categorical palette (Okabe & Ito, then Tableau for more series). */
export const PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
  '#F0E442',
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
];

const CONFIG = {
  font: FIGURE_FONT,
  background: 'white',
  aria: false,
  padding: 4,
  view: { stroke: '#bbb', strokeWidth: 0.8 },
  range: { category: PALETTE },
  axis: {
    labelFontSize: 10,
    titleFontSize: 10.5,
    titleFontWeight: 'normal',
    titleColor: '#222',
    labelColor: '#333',
    gridColor: '#ececec',
    domainColor: '#666',
    tickColor: '#666',
    labelLimit: 160,
  },
  legend: {
    labelFontSize: 10,
    titleFontSize: 10,
    titleFontWeight: 'normal',
    orient: 'bottom',
    direction: 'horizontal',
    labelLimit: 160,
    symbolStrokeWidth: 1.6,
  },
  header: { labelFontSize: 11, labelFontWeight: 'bold', labelColor: '#222', titleFontSize: 11 },
  title: { fontSize: 11, fontWeight: 'normal', anchor: 'middle' },
  line: { strokeWidth: 1.6 },
  point: { size: 34, filled: true },
} as const;

/** Wrap a spec with the schema and the shared config. */
export function withTheme(spec: VlSpec): VlSpec {
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', ...spec, config: CONFIG };
}

/** Columns and panel width for a faceted figure of `n` panels. */
export function facetLayout(n: number, maxCols = 3): { columns: number; width: number } {
  const columns = Math.min(Math.max(n, 1), maxCols);
  const width = Math.min(340, Math.floor((FULL_WIDTH - 40 - (columns - 1) * 30) / columns));
  return { columns, width };
}

/** Axis values 0..maxLayer, thinned so labels do not collide. */
export function layerTicks(maxLayer: number): number[] {
  const step = maxLayer > 16 ? Math.ceil(maxLayer / 8) : maxLayer > 8 ? 2 : 1;
  const ticks: number[] = [];
  for (let l = 0; l <= maxLayer; l += step) ticks.push(l);
  return ticks;
}

/** Layer 0 is the projected CNN output, named "CNN" as in the paper. */
export const LAYER_LABEL_EXPR = "datum.value == 0 ? 'CNN' : datum.value";

/**
 * Layer similarity: linear CKA of model A's layers (rows) against model B's (columns), one heatmap per
 * model pair of a cka.json, colour 0-1 and the value in each cell where it fits; undefined values (a constant layer) stay grey.
 */
import { withTheme, type VlSpec } from './theme.js';

export interface CkaPanel {
  a: string;
  b: string;
  layersA: number[];
  layersB: number[];
  cka: Float64Array;
}

export function ckaChart(p: CkaPanel, opts: { width?: number } = {}): VlSpec {
  const name = (l: number) => (l === 0 ? 'CNN' : String(l));
  const rows = p.layersA.map(name);
  const cols = p.layersB.map(name);
  const values: { la: string; lb: string; cka: number | null }[] = [];
  rows.forEach((la, i) =>
    cols.forEach((lb, j) => {
      const v = p.cka[i * cols.length + j];
      values.push({ la, lb, cka: Number.isFinite(v) ? Math.round(1000 * v) / 1000 : null });
    }),
  );
  const room = (opts.width ?? 300) - 110;
  const cell = Math.max(5, Math.min(22, Math.floor(room / Math.max(cols.length, 1)), Math.floor(320 / Math.max(rows.length, 1))));
  const x = {
    field: 'lb',
    type: 'ordinal',
    sort: cols,
    scale: { domain: cols },
    title: `${p.b} layer`,
    axis: { labelAngle: 0, labelFontSize: 8, ticks: false, domain: false, labelOverlap: 'parity' },
  };
  const y = {
    field: 'la',
    type: 'ordinal',
    sort: rows,
    scale: { domain: rows },
    title: `${p.a} layer`,
    axis: { labelFontSize: 8, ticks: false, domain: false, labelOverlap: 'parity' },
  };
  // values in the cells where they fit (two decimals): close values look alike on a 0-1 colour scale
  const labels =
    cell >= 18
      ? [
          {
            transform: [{ filter: 'datum.cka != null' }],
            mark: { type: 'text', fontSize: 6.5 },
            encoding: {
              x,
              y,
              text: { field: 'cka', type: 'quantitative', format: '.2f' },
              color: { condition: { test: 'datum.cka > 0.6', value: '#222' }, value: 'white' },
            },
          },
        ]
      : [];
  return withTheme({
    data: { values },
    width: cell * cols.length,
    height: cell * rows.length,
    layer: [
      { mark: { type: 'rect', fill: '#e8e8e8', stroke: 'white', strokeWidth: 0.4 }, encoding: { x, y } },
      {
        transform: [{ filter: 'datum.cka != null' }],
        mark: { type: 'rect', stroke: 'white', strokeWidth: 0.4 },
        encoding: {
          x,
          y,
          color: {
            field: 'cka',
            type: 'quantitative',
            title: 'CKA',
            scale: { scheme: 'viridis', domain: [0, 1] },
            legend: {
              orient: 'right',
              direction: 'vertical',
              gradientLength: Math.min(110, cell * rows.length),
              gradientThickness: 7,
              labelFontSize: 8.5,
              titleFontSize: 9,
            },
          },
        },
      },
      ...labels,
    ],
    view: { stroke: null },
  });
}

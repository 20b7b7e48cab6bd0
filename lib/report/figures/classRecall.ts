/**
 * Per-class recall by layer (analysis/classRecall.ts): a heatmap of one model on one dataset, classes
 * (rows) ordered by their recall at the layer chosen on validation, layers (columns) left to right,
 * colour = test recall in percent, mean over seeds. The chosen layer's column is outlined; classes
 * without test clips are left out (they have no recall).
 */
import type { ClassRecall } from '../../analysis/index.js';
import { textWidth } from './textWidth.js';
import { withTheme, type VlSpec } from './theme.js';

export function classRecallChart(r: ClassRecall, opts: { width?: number } = {}): VlSpec | undefined {
  const classes = r.class_order.filter((c) => r.cells.some((x) => x.class === c && !Number.isNaN(x.mean)));
  if (classes.length === 0) return undefined;
  const layers = r.layers;
  const values = r.cells
    .filter((c) => classes.includes(c.class) && !Number.isNaN(c.mean))
    .map((c) => ({
      cls: c.class,
      layer: c.layer === 0 ? 'CNN' : String(c.layer),
      recall: Math.round(1000 * c.mean) / 10,
      best: c.layer === r.best_layer,
    }));
  const layerNames = layers.map((l) => (l === 0 ? 'CNN' : String(l)));
  const C = classes.length;
  const font = C > 32 ? 6.5 : C > 20 ? 7.5 : 9;
  const labelPx = Math.min(130, Math.max(...classes.map((c) => textWidth(c, font)))) + 6;
  const room = (opts.width ?? 300) - labelPx - 70;
  const cellW = Math.max(6, Math.min(26, Math.floor(room / layers.length)));
  const cellH = Math.max(6, Math.min(18, Math.floor(560 / C)));
  const x = {
    field: 'layer',
    type: 'ordinal',
    sort: layerNames,
    scale: { domain: layerNames },
    title: 'Layer',
    axis: { labelAngle: 0, labelFontSize: 8.5, ticks: false, domain: false, labelOverlap: 'parity' },
  };
  const y = {
    field: 'cls',
    type: 'ordinal',
    sort: classes,
    scale: { domain: classes },
    title: null,
    axis: { labelFontSize: font, labelLimit: 130, ticks: false, domain: false },
  };
  const layer: VlSpec[] = [
    {
      mark: { type: 'rect', stroke: 'white', strokeWidth: 0.5 },
      encoding: {
        x,
        y,
        color: {
          field: 'recall',
          type: 'quantitative',
          title: 'Recall %',
          scale: { scheme: 'blues', domain: [0, 100] },
          legend: {
            orient: 'right',
            direction: 'vertical',
            gradientLength: Math.min(120, cellH * C),
            gradientThickness: 7,
            labelFontSize: 8.5,
            titleFontSize: 9,
          },
        },
      },
    },
    { transform: [{ filter: 'datum.best' }], mark: { type: 'rect', fill: null, stroke: '#222', strokeWidth: 1.1 }, encoding: { x, y } },
  ];
  if (cellW >= 18 && cellH >= 12) {
    layer.push({
      mark: { type: 'text', fontSize: 7.5 },
      encoding: {
        x,
        y,
        text: { field: 'recall', type: 'quantitative', format: '.0f' },
        color: { condition: { test: 'datum.recall > 55', value: 'white' }, value: '#222' },
      },
    });
  }
  return withTheme({ data: { values }, width: cellW * layers.length, height: cellH * C, layer, view: { stroke: null } });
}

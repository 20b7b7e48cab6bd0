/**
 * Fig. 5: a row-normalised confusion matrix with class names on both axes. Rows of classes absent from
 * the test split stay empty (as in the paper). Class names are data values, never
 * expressions.
 */
import type { Confusion } from '../confusion.js';
import { textWidth } from './textWidth.js';
import { withTheme, type VlSpec } from './theme.js';

interface ConfusionLayout {
  /** Total width in px the panel may take (labels and legend included); panels sit side by side. */
  width?: number;
  /** Draw the colour legend (default true). */
  legend?: boolean;
}

export function confusionChart(c: Confusion, layout: ConfusionLayout = {}): VlSpec {
  const names = uniqueLabels(c.classes);
  const C = names.length;
  const axisFont = C > 40 ? 6 : C > 24 ? 7.5 : C > 14 ? 8 : 9;
  const labelLimit = (layout.width ?? 400) < 260 ? 70 : 110;
  const labelPx = Math.min(labelLimit, Math.max(...names.map((n) => textWidth(n, axisFont)))) + 4;
  const legend = layout.legend ?? true;
  const matrixPx = (layout.width ?? 400) - labelPx - (legend ? 46 : 0) - 22;
  const cell = Math.max(4, Math.min(26, Math.floor(matrixPx / C)));
  const values: { t: string; p: string; share: number; count: number }[] = [];
  c.counts.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    if (total === 0) return;
    row.forEach((n, j) => values.push({ t: names[i], p: names[j], share: Math.round((1000 * n) / total) / 10, count: n }));
  });
  const x = {
    field: 'p',
    type: 'ordinal',
    sort: names,
    scale: { domain: names },
    title: 'Predicted class',
    axis: {
      labelAngle: -60,
      labelFontSize: axisFont,
      labelLimit,
      labelOverlap: C > 48 ? 'parity' : false,
      ticks: false,
      domain: false,
      titleFontSize: 9.5,
    },
  };
  const y = {
    field: 't',
    type: 'ordinal',
    sort: names,
    scale: { domain: names },
    title: 'True class',
    axis: { labelFontSize: axisFont, labelLimit, labelOverlap: C > 48 ? 'parity' : false, ticks: false, domain: false, titleFontSize: 9.5 },
  };
  // Every cell in a faint grey, so empty cells and rows read as empty, not as "0 %": one rect per cell
  // up to 40 classes (white gaps between cells), a plain grey background beyond (SVG size).
  const grid = C <= 40 ? names.flatMap((t) => names.map((p) => ({ t, p }))) : [];
  const layers: VlSpec[] = [
    ...(grid.length > 0
      ? [
          {
            data: { values: grid },
            mark: { type: 'rect', fill: '#f4f4f4', stroke: 'white', strokeWidth: C > 24 ? 0.2 : 0.6 },
            encoding: { x, y },
          },
        ]
      : []),
    {
      transform: [{ filter: 'datum.count > 0' }],
      mark: { type: 'rect', stroke: 'white', strokeWidth: C > 24 ? 0.2 : 0.6 },
      encoding: {
        x,
        y,
        color: {
          field: 'share',
          type: 'quantitative',
          title: 'Row %',
          scale: { scheme: 'blues', domain: [0, 100] },
          legend: legend
            ? {
                orient: 'right',
                direction: 'vertical',
                gradientLength: Math.min(140, cell * C),
                gradientThickness: 7,
                labelFontSize: 8.5,
                titleFontSize: 9,
              }
            : null,
        },
      },
    },
  ];
  if (cell >= 15) {
    layers.push({
      mark: { type: 'text', fontSize: cell >= 22 ? 9 : 7 },
      transform: [{ filter: 'datum.count > 0' }],
      encoding: {
        x,
        y,
        text: { field: 'share', type: 'quantitative', format: '.0f' },
        color: { condition: { test: 'datum.share > 55', value: 'white' }, value: '#222' },
      },
    });
  }
  return withTheme({
    data: { values },
    width: cell * C,
    height: cell * C,
    layer: layers,
    view: grid.length > 0 ? { stroke: null } : { stroke: null, fill: '#f4f4f4' },
  });
}

/** Duplicate class names would merge on an axis: suffix repeats with their column number. */
function uniqueLabels(classes: string[]): string[] {
  const seen = new Set<string>();
  return classes.map((c, i) => {
    const name = c === '' ? `(class ${i})` : c;
    const out = seen.has(name) ? `${name} [${i}]` : name;
    seen.add(out);
    return out;
  });
}

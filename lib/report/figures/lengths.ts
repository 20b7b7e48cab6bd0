/**
 * Fig. 1: distribution of vocalisation lengths per dataset on a log axis (share of clips per
 * log-spaced bin), with each dataset's median as a dashed rule.
 */
import { median } from '../../util/stats.js';
import { FULL_WIDTH, PALETTE, withTheme, type VlSpec } from './theme.js';

export interface LengthSeries {
  dataset: string;
  lengthsMs: number[];
}

const BINS_PER_DECADE = 10;

export function lengthsChart(series: LengthSeries[]): VlSpec | undefined {
  const usable = series.filter((s) => s.lengthsMs.length > 0);
  if (usable.length === 0) return undefined;
  const all = usable.flatMap((s) => s.lengthsMs);
  const lo = Math.floor(Math.log10(Math.min(...all)) * BINS_PER_DECADE) / BINS_PER_DECADE;
  const hi = Math.ceil(Math.log10(Math.max(...all)) * BINS_PER_DECADE) / BINS_PER_DECADE + 1 / BINS_PER_DECADE;
  const nBins = Math.max(1, Math.round((hi - lo) * BINS_PER_DECADE));
  // `band` repeats `dataset` for the layers without a legend: their own scale, so legends never conflict.
  const values: { dataset: string; band: string; ms: number; share: number }[] = [];
  const medians: { band: string; median: number }[] = [];
  for (const s of usable) {
    const counts = new Array<number>(nBins).fill(0);
    for (const v of s.lengthsMs) counts[Math.min(nBins - 1, Math.floor((Math.log10(v) - lo) * BINS_PER_DECADE))]++;
    counts.forEach((c, i) =>
      values.push({
        dataset: s.dataset,
        band: s.dataset,
        ms: round(10 ** (lo + (i + 0.5) / BINS_PER_DECADE)),
        share: round((100 * c) / s.lengthsMs.length),
      }),
    );
    medians.push({ band: s.dataset, median: round(median(s.lengthsMs)) });
  }
  const names = usable.map((s) => s.dataset);
  const color = {
    field: 'dataset',
    type: 'nominal',
    sort: names,
    scale: { domain: names, range: names.map((_, i) => PALETTE[i % PALETTE.length]) },
    legend: { title: null },
  };
  const x = {
    type: 'quantitative',
    scale: { type: 'log', domain: [round(10 ** lo), round(10 ** hi)], nice: false },
    title: 'Vocalisation length (ms, log scale)',
    axis: { format: '~s', grid: true },
  };
  return withTheme({
    width: FULL_WIDTH - 60,
    height: 190,
    layer: [
      {
        data: { values },
        mark: { type: 'area', interpolate: 'monotone', opacity: 0.18 },
        encoding: {
          x: { ...x, field: 'ms' },
          y: { field: 'share', type: 'quantitative', title: 'Share of clips (%)', stack: null },
          fill: { ...color, field: 'band', legend: null },
        },
      },
      {
        data: { values },
        mark: { type: 'line', interpolate: 'monotone', strokeWidth: 1.6 },
        encoding: { x: { ...x, field: 'ms' }, y: { field: 'share', type: 'quantitative' }, color },
      },
      {
        data: { values: medians },
        mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1.2 },
        encoding: { x: { ...x, field: 'median' }, stroke: { ...color, field: 'band', legend: null } },
      },
    ],
  });
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

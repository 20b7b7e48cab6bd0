/**
 * A log-mel spectrogram as a self-contained SVG heatmap (no PNG, no script): the log-mel baseline's
 * frames (25 ms / 10 ms, 64 HTK bands) coloured with a 32-step viridis scale, equal neighbouring cells
 * merged into one rect so a few seconds stay a small SVG.
 */
import { LogMel } from '../baselines/logmel.js';
import { hzToMel } from '../baselines/melscale.js';
import { escapeHtml } from './html.js';

// viridis at 9 stops, interpolated to LEVELS steps
const VIRIDIS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'];
const LEVELS = 32;

function hex(c: string): number[] {
  return [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
}

const PALETTE: string[] = Array.from({ length: LEVELS }, (_, k) => {
  const x = (k / (LEVELS - 1)) * (VIRIDIS.length - 1);
  const i = Math.min(Math.floor(x), VIRIDIS.length - 2);
  const f = x - i;
  const [a, b] = [hex(VIRIDIS[i]), hex(VIRIDIS[i + 1])];
  return (
    '#' +
    a
      .map((v, j) =>
        Math.round(v + f * (b[j] - v))
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')
  );
});

export interface SpectrogramOptions {
  width?: number;
  height?: number;
  title?: string;
  /** Dynamic range shown below the loudest cell, in natural-log units (default 12, about 52 dB). */
  range?: number;
}

/** SVG of the log-mel spectrogram of 16 kHz mono samples. */
export function spectrogramSvg(samples: Float32Array, opts: SpectrogramOptions = {}): string {
  const lm = new LogMel();
  const { data, frames, nMels } = lm.compute(samples);
  const W = opts.width ?? 640;
  const H = opts.height ?? 200;
  const left = 48,
    bottom = 28,
    top = opts.title ? 22 : 6,
    right = 8;
  const pw = W - left - right,
    ph = H - top - bottom;
  let max = -Infinity;
  for (const v of data) if (v > max) max = v;
  const range = opts.range ?? 12;
  const level = (v: number) => Math.max(0, Math.min(LEVELS - 1, Math.round(((v - (max - range)) / range) * (LEVELS - 1))));
  const cw = pw / frames,
    ch = ph / nMels;
  const rects: string[] = [];
  for (let m = 0; m < nMels; m++) {
    const y = top + ph - (m + 1) * ch;
    let start = 0;
    let cur = level(data[m]);
    for (let t = 1; t <= frames; t++) {
      const l = t < frames ? level(data[t * nMels + m]) : -1;
      if (l !== cur) {
        rects.push(
          `<rect x="${(left + start * cw).toFixed(2)}" y="${y.toFixed(2)}" width="${((t - start) * cw + 0.3).toFixed(2)}" height="${(ch + 0.3).toFixed(2)}" fill="${PALETTE[cur]}"/>`,
        );
        start = t;
        cur = l;
      }
    }
  }
  const s = lm.settings;
  const seconds = samples.length / s.sampleRate;
  const ticks: string[] = [];
  const step = seconds > 8 ? 2 : seconds > 3 ? 1 : seconds > 1 ? 0.5 : 0.1;
  for (let x = 0; x <= seconds + 1e-9; x += step) {
    const px = left + (x / seconds) * pw;
    ticks.push(
      `<line x1="${px.toFixed(1)}" y1="${top + ph}" x2="${px.toFixed(1)}" y2="${top + ph + 4}" stroke="#333"/><text x="${px.toFixed(1)}" y="${top + ph + 15}" text-anchor="middle">${+x.toFixed(1)}</text>`,
    );
  }
  const mMin = hzToMel(s.fMin, s.melScale),
    mMax = hzToMel(s.fMax, s.melScale);
  for (const hz of [500, 1000, 2000, 4000, 8000]) {
    if (hz > s.fMax) continue;
    const frac = (hzToMel(hz, s.melScale) - mMin) / (mMax - mMin);
    const py = top + ph - frac * ph;
    ticks.push(`<text x="${left - 4}" y="${(py + 3).toFixed(1)}" text-anchor="end">${hz >= 1000 ? hz / 1000 + 'k' : hz}</text>`);
  }
  const title = opts.title ? `<text x="${left}" y="14" font-weight="bold">${escapeHtml(opts.title)}</text>` : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="10">` +
    `${title}<g shape-rendering="crispEdges">${rects.join('')}</g>` +
    `<rect x="${left}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>${ticks.join('')}` +
    `<text x="${left + pw / 2}" y="${H - 2}" text-anchor="middle">time (s)</text>` +
    `<text transform="translate(10 ${top + ph / 2}) rotate(-90)" text-anchor="middle">Hz (mel scale)</text></svg>`
  );
}

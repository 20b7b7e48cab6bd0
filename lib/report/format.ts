/** Number and label formatting shared by tables, captions and text. */

export const DASH = '–';

export function fixed(v: number | undefined, digits = 2): string {
  return v === undefined || !Number.isFinite(v) ? DASH : v.toFixed(digits);
}

export function thousands(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? DASH : Math.round(v).toLocaleString('en-US');
}

/** Short layer label: "CNN" for layer 0, "L3"; '' for a model with a single layer (a baseline feature). */
export function layerLabel(layer: number, singleLayer = false): string {
  if (singleLayer) return '';
  return layer === 0 ? 'CNN' : `L${layer}`;
}

/** The layer in prose: "CNN layer", "layer 3", or '' for a single-layer model. */
export function layerPhrase(layer: number, singleLayer = false): string {
  if (singleLayer) return '';
  return layer === 0 ? 'CNN layer' : `layer ${layer}`;
}

/** Sample rates in kHz: one value, or a range when they vary. */
export function sampleRates(hz: number[]): string {
  if (hz.length === 0) return DASH;
  const k = (v: number) => String(Math.round(v / 100) / 10);
  return hz.length === 1 ? k(hz[0]) : `${k(hz[0])}–${k(hz[hz.length - 1])}`;
}

/** Parameter counts in millions; values below 10,000 are taken to be in millions already. */
export function millions(params: unknown): string {
  const v = Number(params);
  if (!Number.isFinite(v) || v <= 0) return DASH;
  return (v >= 1e4 ? v / 1e6 : v).toFixed(2);
}

/** A fraction as a percentage, one decimal at most: 0.125 -> "12.5 %", 0.1 -> "10 %". */
export function percent(fraction: number): string {
  return `${Math.round(1000 * fraction) / 10} %`;
}

export function roman(n: number): string {
  return ['', 'I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'][n] ?? String(n);
}

/** "a, b and c" */
export function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Any manifest value as short text (objects as compact JSON). */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return DASH;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

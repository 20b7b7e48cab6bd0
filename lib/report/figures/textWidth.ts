/**
 * Text widths for vega's headless layout. Without a canvas vega guesses 0.8 em per character, which
 * leaves wide gaps around rotated labels and truncates labels early. The figures are set in Liberation
 * Sans, metric-compatible with Arial/Helvetica, so Helvetica's advance widths (per 1000 em) are exact
 * for ASCII; other characters take an average width.
 */
// Advance widths of ASCII 32..126 in Helvetica / Arial / Liberation Sans (regular).
const WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278,
  278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722,
  667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556,
  556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const OTHER = 600;

/** Width in px of `text` set at `fontSize` px; bold is about 7 % wider. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let units = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    units += c >= 32 && c <= 126 ? WIDTHS[c - 32] : OTHER;
  }
  return (units / 1000) * fontSize * (bold ? 1.07 : 1);
}

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
  text?: unknown;
}

/** A `vega.textMetrics.width` replacement: (item, text) -> px. */
export function vegaTextWidth(item: TextItem, text?: unknown): number {
  const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
  const s = text == null ? '' : String(text).trim();
  const w = item.fontWeight;
  const width = textWidth(s, size, w === 'bold' || (typeof w === 'number' && w >= 600) || (typeof w === 'string' && /^[6-9]00$/.test(w)));
  // vega truncates text longer than `limit` with an ellipsis: its width is then at most the limit
  const limit = Number(item.limit);
  return limit > 0 ? Math.min(width, limit) : width;
}

/**
 * Vega-Lite spec -> SVG text with vega's headless renderer (no canvas, no DOM, no network: specs carry
 * their data inline). Text is escaped by vega; assertSafeSvg double-checks before the SVG is inlined.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { reportError } from './errors.js';
import { vegaTextWidth } from './figures/textWidth.js';
import type { VlSpec } from './figures/theme.js';

type TextMetrics = { width: (item: unknown, text?: unknown) => number };

/** Render a Vega-Lite spec to standalone SVG; element ids are prefixed with `idPrefix` so several SVGs can share a page. */
export async function renderSvg(spec: VlSpec, idPrefix: string): Promise<string> {
  // vega-lite's warnings (e.g. merged legends) are about styling choices made on purpose: keep them off stderr.
  const compiled = compile(spec as unknown as TopLevelSpec, { logger: vega.logger(vega.Error) as never }).spec;
  const loader = vega.loader();
  // No figure loads anything: refuse any attempt instead of reaching for the network or disk.
  loader.load = async (uri: string) => {
    throw reportError('figure-load', `a figure tried to load ${uri}`);
  };
  // Real font metrics instead of vega's 0.8 em guess (see textWidth.ts), restored afterwards.
  const metrics = (vega as unknown as { textMetrics: TextMetrics }).textMetrics;
  const previous = metrics.width;
  metrics.width = vegaTextWidth as TextMetrics['width'];
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader, logLevel: vega.Error });
  try {
    const svg = prefixIds(await view.toSVG(), idPrefix);
    assertSafeSvg(svg);
    return svg;
  } finally {
    view.finalize();
    metrics.width = previous;
  }
}

function prefixIds(svg: string, prefix: string): string {
  return svg.replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`).replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`);
}

/** SVG for inlining in HTML: namespace declarations (URLs) dropped, the size made responsive. */
export function inlineSvg(svg: string, label: string): string {
  return svg.replace(/\s+xmlns(:xlink)?="[^"]*"/g, '').replace(/^<svg /, `<svg role="img" aria-label="${escapeAttr(label)}" `);
}

/**
 * Throw if rendered SVG contains anything active or external: it must be inert drawing and text.
 * Tags are checked with their quoted attribute values blanked, so escaped user text (which may read
 * "onerror=") is not mistaken for markup; values are checked for external url(...) references.
 */
export function assertSafeSvg(svg: string): void {
  for (const tag of svg.match(/<[^>]*>/g) ?? []) {
    const bare = tag.replace(/"[^"]*"|'[^']*'/g, '""');
    const bad =
      /^<\/?(script|foreignObject|iframe|img|image|a|use|style|object|embed)\b/i.exec(bare) ??
      /\son[a-z]+\s*=|\b(href|src)\s*=/i.exec(bare) ??
      /url\(\s*['"]?(?!#)/i.exec(tag);
    if (bad) throw reportError('figure-unsafe', `rendered SVG contains "${bad[0].trim()}"; refusing to inline it`);
  }
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Render the report's HTML from the handlebars templates in templates/report/ (layout, partials, print
 * stylesheet). A private handlebars instance: `{{x}}` escapes every value; only the SVG (rendered by
 * vega and checked by assertSafeSvg) and our own stylesheet are inserted raw.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { ReportView } from './view.js';

/** The templates folder shipped with the package (lib/report -> ../../templates, also from dist/report). */
function defaultTemplateDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates', 'report');
}

export function renderHtml(view: ReportView, templateDir = defaultTemplateDir()): string {
  const hb = Handlebars.create();
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  const partials = join(templateDir, 'partials');
  for (const f of readdirSync(partials)
    .filter((n) => n.endsWith('.hbs'))
    .sort()) {
    hb.registerPartial(basename(f, '.hbs'), readFileSync(join(partials, f), 'utf8'));
  }
  const layout = hb.compile(readFileSync(join(templateDir, 'layout.hbs'), 'utf8'), { strict: false, noEscape: false });
  const css = readFileSync(join(templateDir, 'style.css'), 'utf8');
  const html = layout({ ...view, css }, { allowProtoPropertiesByDefault: false });
  // Handlebars also escapes '=' and '`' (for unquoted attributes). Every attribute here is quoted, so
  // those two are restored to keep text readable and greppable (`a=b`), as html.escape would write it.
  return html.replace(/&#x3D;/g, '=').replace(/&#x60;/g, '`');
}

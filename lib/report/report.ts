/**
 * `bioprobe report`: results directories -> report.html (self-contained: inline SVG figures and CSS,
 * no scripts, no external references) + report.pdf (headless Chromium) + figures/*.svg and *.vl.json.
 * Phases: load -> study -> statistics -> tables, figures, prose -> HTML -> PDF.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { describeError } from '../util/errors.js';
import { join, resolve } from 'node:path';
import { VERSION } from '../util/version.js';
import { findChromium, NO_CHROMIUM_HINT } from './chromium.js';
import { reportError } from './errors.js';
import { renderHtml } from './html.js';
import { loadStudy } from './loadStudy.js';
import { buildMethods } from './methods.js';
import { buildNarrative } from './narrative.js';
import { printPdf } from './pdf.js';
import { inlineSvg } from './svg.js';
import { datasetTable, modelTable, scoreTable } from './tables.js';
import { buildView } from './view.js';
import { unseparatedTable } from './analysisTables.js';

export interface ReportOptions {
  /** Results directories, or folders holding them. */
  results: string[];
  out: string;
  /** Write report.pdf (default true; skipped with a hint when no Chromium is found). */
  pdf?: boolean;
  /** Chromium executable; default: CHROME_PATH or the usual install paths. */
  chromiumPath?: string;
  title?: string;
  /** A notice shown in a banner at the top (e.g. "demonstration on synthetic data"); replaces the detected one. */
  notice?: string;
  /** Date shown under the title; default today (UTC, YYYY-MM-DD); '' for none. */
  date?: string;
  templateDir?: string;
}

export interface ReportOutcome {
  html: string;
  pdf?: string;
  /** Why no PDF was written (not asked, no Chromium, Chromium failed), with what to do. */
  pdfSkipped?: string;
  figures: string[];
  warnings: string[];
}

export async function writeReport(opts: ReportOptions): Promise<ReportOutcome> {
  const { study, stats, figures, warnings, analyses } = await loadStudy(opts.results);
  const out = resolve(opts.out);
  const scores = scoreTable(study, 'selected');
  const view = buildView({
    study,
    stats,
    figures,
    datasetTable: datasetTable(study, stats),
    modelTable: modelTable(study),
    scores,
    oracle: scoreTable(study, 'oracle'),
    unseparated: { table: unseparatedTable(analyses), thresholds: [...new Set(analyses.recall.map((r) => r.data.threshold))] },
    methods: buildMethods(study, stats, opts.out, opts.results),
    narrative: buildNarrative(study, opts.title),
    version: VERSION,
    notice: opts.notice,
    date: opts.date ?? new Date().toISOString().slice(0, 10),
  });

  prepareOut(out, opts.out);
  const written: string[] = [];
  for (const f of figures) {
    for (const p of f.panels) {
      writeFileSync(join(out, 'figures', `${p.file}.svg`), `<?xml version="1.0" encoding="UTF-8"?>\n${p.svg}\n`);
      writeFileSync(join(out, 'figures', `${p.file}.vl.json`), JSON.stringify(p.spec, null, 1) + '\n');
      written.push(join(out, 'figures', `${p.file}.svg`));
      p.svg = inlineSvg(p.svg, `Figure ${f.number}${p.label ? ' ' + p.label : ''}`);
    }
  }
  const html = join(out, 'report.html');
  writeFileSync(html, renderHtml(view, opts.templateDir));

  const outcome: ReportOutcome = { html, figures: written, warnings };
  if (opts.pdf === false) return { ...outcome, pdfSkipped: 'PDF not requested' };
  const chromium = opts.chromiumPath ?? findChromium();
  if (!chromium) return { ...outcome, pdfSkipped: `no Chromium found: ${NO_CHROMIUM_HINT}` };
  const pdf = join(out, 'report.pdf');
  try {
    await printPdf(html, pdf, chromium);
  } catch (err) {
    // The HTML is written: a browser that will not start costs the PDF, not the report.
    return { ...outcome, pdfSkipped: describeError(err) };
  }
  return { ...outcome, pdf };
}

function prepareOut(out: string, given: string): void {
  if (existsSync(out) && !statSync(out).isDirectory())
    throw reportError('out-not-dir', 'exists and is not a directory', given, 'pass a folder for the report');
  try {
    mkdirSync(join(out, 'figures'), { recursive: true });
  } catch (err) {
    throw reportError('out-unwritable', `cannot create the report folder: ${(err as Error).message}`, given);
  }
}

/**
 * The paper's tables and figures for notebooks, from the same code the report uses (lib/report): load
 * results folders into a study, then ask for Table I / III rows and Fig. 1 / 3 / 4 / 5 SVGs. Plus Fig. 1
 * straight from a dataset (clip lengths from file headers), before anything was extracted.
 */
import { readAudioHeader } from '../audio/header.js';
import type { Dataset } from '../datasets/types.js';
import { buildFigures, type Figure } from '../report/build-figures.js';
import { datasetConfusion, type Confusion } from '../report/confusion.js';
import { datasetStats, type DatasetStats } from '../report/dataset-stats.js';
import { Warnings } from '../report/errors.js';
import { lengthsChart } from '../report/figures/lengths.js';
import { discoverResultsDirs, loadResultsDir } from '../report/load.js';
import { buildStudy, type Study } from '../report/study.js';
import { renderSvg } from '../report/svg.js';
import { datasetTable, modelTable, scoreTable, type ScoreTable, type SimpleTable } from '../report/tables.js';

export interface NotebookStudy {
  study: Study;
  figures: Figure[];
  warnings: string[];
}

/** Results folders (or folders holding them) -> the study and its figures. */
export async function loadStudy(results: string[]): Promise<NotebookStudy> {
  const warnings = new Warnings();
  const study = buildStudy(discoverResultsDirs(results).map((d) => loadResultsDir(d, warnings)), warnings);
  const stats = statsOf(study);
  const confusions = new Map<string, Confusion>();
  for (const d of study.datasets) {
    const c = datasetConfusion(d, warnings);
    if (c) confusions.set(d.key, c);
  }
  return { study, figures: await buildFigures(study, stats, confusions), warnings: warnings.list };
}

function statsOf(study: Study): Map<string, DatasetStats> {
  const stats = new Map<string, DatasetStats>();
  for (const d of study.datasets) {
    const s = datasetStats(d);
    if (s) stats.set(d.key, s);
  }
  return stats;
}

/** SVGs of one figure of the report: 'lengths' (Fig. 1), 'layers' (Fig. 3), 'finetune' (Fig. 4), 'confusion' (Fig. 5). */
export function figureSvgs(s: NotebookStudy, key: Figure['key']): { caption: string; label: string; svg: string }[] {
  const f = s.figures.find((x) => x.key === key);
  return f ? f.panels.map((p) => ({ caption: `Fig. ${f.number}: ${f.caption}`, label: p.label, svg: p.svg })) : [];
}

/** A report table as plain rows (column labels as keys), ready for arquero. */
export function tableRows(t: SimpleTable | undefined): Record<string, string>[] {
  if (!t) return [];
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c) => [c.label, r[c.key] ?? ''])));
}

/** Table I (datasets) and Table II (models) rows of a study. */
export function studyTables(s: NotebookStudy): { datasets: Record<string, string>[]; models: Record<string, string>[] } {
  return { datasets: tableRows(datasetTable(s.study, statsOf(s.study))), models: tableRows(modelTable(s.study)) };
}

/** Table III: best-layer test UAR per model and dataset (`selected`: layer chosen on validation; `oracle`: on test, as the paper). */
export function scoreRows(s: NotebookStudy, which: 'selected' | 'oracle' = 'selected'): Record<string, string>[] {
  const t: ScoreTable | undefined = scoreTable(s.study, which);
  if (!t) return [];
  return t.rows.map((r) => ({
    model: r.name,
    ...Object.fromEntries(t.datasets.map((d, i) => [d, `${r.cells[i]?.text ?? ''}${r.cells[i]?.layer ? ` (layer ${r.cells[i].layer})` : ''}`])),
  }));
}

/** Clip lengths in ms from file headers (segments: end - start); unreadable files are left out. */
export function clipLengthsMs(ds: Dataset): number[] {
  const fileSeconds = new Map<string, number | undefined>();
  const out: number[] = [];
  for (const it of ds.items) {
    if (it.start !== undefined && it.end !== undefined) {
      out.push((it.end - it.start) * 1000);
      continue;
    }
    if (!fileSeconds.has(it.path)) {
      try {
        const h = readAudioHeader(it.path);
        fileSeconds.set(it.path, h.frames !== undefined && h.sampleRate > 0 ? h.frames / h.sampleRate : undefined);
      } catch {
        fileSeconds.set(it.path, undefined);
      }
    }
    const sec = fileSeconds.get(it.path);
    if (sec !== undefined) out.push(((it.end ?? sec) - (it.start ?? 0)) * 1000);
  }
  return out.filter((v) => v > 0);
}

/** Fig. 1 for datasets (before extraction): log-scale distribution of clip lengths, as SVG. */
export async function lengthsFigure(datasets: Dataset[]): Promise<string | undefined> {
  const spec = lengthsChart(datasets.map((d) => ({ dataset: d.name, lengthsMs: clipLengthsMs(d) })));
  return spec ? renderSvg(spec, 'nb-lengths') : undefined;
}

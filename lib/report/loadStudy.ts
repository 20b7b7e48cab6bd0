/**
 * The report's public reading API: results folders -> the study with its statistics, confusion matrices
 * and figures (what `bioprobe report` renders), plus the views notebooks ask for: a figure's SVGs, the
 * tables as plain rows, Fig. 1 from clip lengths measured elsewhere.
 */
import { loadResultsDir } from '../results/index.js';
import { BioprobeError } from '../util/errors.js';
import { loadAnalyses, type StudyAnalyses } from './analyses.js';
import { discoverStudyInputs } from './inputs.js';
import { Warnings } from '../util/warnings.js';
import { buildFigures, type Figure } from './buildFigures.js';
import { clipStats, type ClipStats } from './clipStats.js';
import { datasetConfusion, type Confusion } from './confusion.js';
import { lengthsChart, type LengthSeries } from './figures/lengths.js';
import { buildStudy, type Study } from './study.js';
import { renderSvg } from './svg.js';
import { datasetTable, modelTable, scoreTable, type SimpleTable } from './tables.js';

export interface LoadedStudy {
  study: Study;
  /** Table I's figures per dataset key. */
  stats: Map<string, ClipStats>;
  /** Fig. 5's matrix per dataset key. */
  confusions: Map<string, Confusion>;
  figures: Figure[];
  /** Per-class recall, label efficiency and layer similarity found with the results (or computed from them). */
  analyses: StudyAnalyses;
  /** Problems met while reading (also in study.warnings). */
  warnings: string[];
}

/** Results folders (or folders holding them) -> the study, its statistics and its figures. */
export async function loadStudy(results: readonly string[], warnings: Warnings = new Warnings()): Promise<LoadedStudy> {
  const inputs = discoverStudyInputs(results);
  if (inputs.results.length === 0)
    throw new BioprobeError('results', 'results-empty', 'no results.csv in these directories or below them', {
      file: results.join(', '),
      hint: "give the probes' results folders too: the analyses are shown beside them",
    });
  const study = buildStudy(
    inputs.results.map((d) => loadResultsDir(d, warnings)),
    warnings,
  );
  const stats = new Map<string, ClipStats>();
  const confusions = new Map<string, Confusion>();
  for (const d of study.datasets) {
    const s = clipStats(d);
    if (s) stats.set(d.key, s);
    const c = datasetConfusion(d, warnings);
    if (c) confusions.set(d.key, c);
  }
  const analyses = loadAnalyses(study, inputs, warnings);
  return { study, stats, confusions, analyses, figures: await buildFigures(study, stats, confusions, analyses), warnings: warnings.list };
}

/**
 * SVGs of one figure: 'lengths' (Fig. 1), 'pipeline', 'layers' (Fig. 3), 'finetune' (Fig. 4), 'confusion' (Fig. 5),
 * and beyond the paper 'recall' (per-class recall by layer), 'weights' (weighted probe), 'labels' (label efficiency), 'cka'.
 */
export function figureSvgs(s: LoadedStudy, key: Figure['key']): { caption: string; label: string; svg: string }[] {
  const f = s.figures.find((x) => x.key === key);
  return f ? f.panels.map((p) => ({ caption: `Fig. ${f.number}: ${f.caption}`, label: p.label, svg: p.svg })) : [];
}

/** A report table as plain rows (column labels as keys), ready for arquero. */
export function tableRows(t: SimpleTable | undefined): Record<string, string>[] {
  if (!t) return [];
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c) => [c.label, r[c.key] ?? ''])));
}

/** Table I (datasets) and Table II (models) rows of a study. */
export function studyTables(s: LoadedStudy): { datasets: Record<string, string>[]; models: Record<string, string>[] } {
  return { datasets: tableRows(datasetTable(s.study, s.stats)), models: tableRows(modelTable(s.study)) };
}

/** Table III: best-layer test UAR (%) per model and dataset (`selected`: layer chosen on validation; `oracle`: on test, as the paper). */
export function scoreRows(s: LoadedStudy, which: 'selected' | 'oracle' = 'selected'): Record<string, string>[] {
  const t = scoreTable(s.study, which);
  if (!t) return [];
  return t.rows.map((r) => ({
    model: r.name,
    ...Object.fromEntries(
      t.datasets.map((d, i) => [d, `${r.cells[i]?.text ?? ''}${r.cells[i]?.layer ? ` (layer ${r.cells[i].layer})` : ''}`]),
    ),
  }));
}

/** Fig. 1 from clip lengths in ms per dataset (e.g. read from file headers before extraction), as SVG; undefined without lengths. */
export async function lengthsSvg(series: LengthSeries[]): Promise<string | undefined> {
  const spec = lengthsChart(series);
  return spec ? renderSvg(spec, 'nb-lengths') : undefined;
}

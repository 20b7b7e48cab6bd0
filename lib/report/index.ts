/**
 * report/: results directories -> an HTML and PDF paper (tables, vega-lite figures as SVG, methods).
 * Public: the report itself, the study it is built from (loadStudy: notebooks and `bioprobe run`'s
 * summary read results the report's way), the notebook views of its tables and figures, and the
 * rendering helpers `doctor` checks.
 */
// The report (CLI `report`, experiment).
export { writeReport, type ReportOptions, type ReportOutcome } from './report.js';
// The study, as the report sees results folders (notebooks, experiment summary).
export { loadStudy, figureSvgs, studyTables, scoreRows, tableRows, lengthsSvg, type LoadedStudy } from './loadStudy.js';
export { buildStudy, type Study, type StudyDataset, type StudyModel, type ModelResult as StudyModelResult } from './study.js';
export { scoreTable, type ScoreTable } from './tables.js';
export type { Figure } from './buildFigures.js';
// The analyses' figures one at a time (notebooks) and the label-efficiency reader the report uses.
export { classRecallSvg, layerWeightsSvg, labelEfficiencySvg, ckaSvgs } from './analysisViews.js';
export { readLabelCurve, type LabelCurve, type LabelPoint } from './labelCurves.js';
export { discoverStudyInputs, LABELS_KIND, type StudyInputs } from './inputs.js';
export type { StudyAnalyses } from './analyses.js';
export type { ClipStats } from './clipStats.js';
// Rendering: vega-lite -> SVG, and Chromium for the PDF (doctor checks both).
export { renderSvg, inlineSvg, assertSafeSvg } from './svg.js';
export { findChromium, launchChromium, NO_CHROMIUM_HINT, CHROMIUM_PATHS } from './chromium.js';
export { printPdf } from './pdf.js';

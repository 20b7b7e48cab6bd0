/** report/: results directories -> an HTML and PDF paper (tables, vega-lite figures as SVG, methods). */
export { writeReport, type ReportOptions, type ReportOutcome } from './report.js';
export { discoverResultsDirs, loadResultsDir } from './load.js';
export { buildStudy, type Study, type StudyDataset, type StudyModel, type ModelResult as StudyModelResult } from './study.js';
export { renderSvg, inlineSvg, assertSafeSvg } from './svg.js';
export { findChromium, launchChromium, NO_CHROMIUM_HINT } from './chromium.js';
export { printPdf } from './pdf.js';
export type { ResultsDir as LoadedResultsDir, ModelInfo as ReportModelInfo } from './types.js';

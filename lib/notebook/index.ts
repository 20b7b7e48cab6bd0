/**
 * Helpers for exploring in Jupyter (tslab): listen to clips, look at spectrograms, open confusion-matrix
 * cells to the clips behind them, show tables through arquero and the report's figures inline (the
 * report's public API: loadStudy, figureSvgs, scoreRows). Each
 * returns HTML or SVG text; notebooks pass it to tslab.display.html / .svg.
 */
export { audioPlayerHtml, clipPlayerHtml, wavDataUri } from './audio.js';
export { spectrogramSvg, type SpectrogramOptions } from './spectrogram.js';
export { confusionView, confusionHtml, cellClips, bestValLayer, type ConfusionView, type CellClip } from './confusion.js';
export { toTable, tableHtml } from './table.js';
export { layerSeparability, type LayerSeparability } from './separability.js';
export { clipLengthsMs, lengthsFigure } from './lengths.js';
// The study's tables and figures: the report's public loadStudy, figureSvgs, scoreRows, studyTables (lib/report/index.ts).
export { classRecallHtml, weightedProbeHtml, labelEfficiencyHtml, ckaHtml } from './analyses.js';

/**
 * Helpers for exploring in Jupyter (tslab): listen to clips, look at spectrograms, open confusion-matrix
 * cells to the clips behind them, show tables through arquero and the report's figures inline. Each
 * returns HTML or SVG text; notebooks pass it to tslab.display.html / .svg.
 */
export { audioPlayerHtml, clipPlayerHtml, wavDataUri } from './audio.js';
export { spectrogramSvg, type SpectrogramOptions } from './spectrogram.js';
export { confusionView, confusionHtml, cellClips, bestValLayer, type ConfusionView, type CellClip } from './confusion.js';
export { toTable, tableHtml } from './table.js';
export { layerSeparability, type LayerSeparability } from './separability.js';
export { loadStudy, figureSvgs, studyTables, scoreRows, tableRows, clipLengthsMs, lengthsFigure, type NotebookStudy } from './study.js';

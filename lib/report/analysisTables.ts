/** The table of classes no layer separates (per-class recall by layer), as a plain view model. */
import type { StudyAnalyses } from './analyses.js';
import { fixed, layerLabel, thousands } from './format.js';
import type { SimpleTable } from './tables.js';

/** One row per class whose mean test recall stays below the threshold at every layer; undefined when none. */
export function unseparatedTable(a: StudyAnalyses): SimpleTable | undefined {
  const rows = a.recall.flatMap((r) =>
    r.data.unseparated.map((u) => ({
      dataset: r.dataset.name,
      model: r.model.name,
      cls: u.class,
      n: thousands(u.n),
      best: fixed(100 * u.best_recall, 1),
      layer: layerLabel(u.best_layer),
      threshold: fixed(100 * r.data.threshold, 0),
    })),
  );
  if (rows.length === 0) return undefined;
  const datasets = new Set(rows.map((r) => r.dataset)).size > 1;
  return {
    columns: [
      ...(datasets ? [{ key: 'dataset', label: 'Dataset' }] : []),
      { key: 'model', label: 'Model' },
      { key: 'cls', label: 'Class', wrap: true },
      { key: 'n', label: 'Test clips', numeric: true },
      { key: 'best', label: 'Best recall %', title: 'highest mean test recall over layers', numeric: true },
      { key: 'layer', label: 'at layer', numeric: true },
      { key: 'threshold', label: 'Threshold %', numeric: true },
    ],
    rows,
  };
}

/**
 * The end-of-run table `bioprobe run` prints: Table III of the report as text (test UAR % at each
 * model's layer chosen on validation, and the fusion), from the run's results folders.
 */
import { buildStudy, scoreTable } from '../report/index.js';
import { loadResultsDir } from '../results/index.js';
import { Warnings } from '../util/warnings.js';
import type { Plan } from './plan.js';

/** Text lines of the table, or [] when there are no finished results yet. */
export function summaryLines(plan: Plan): string[] {
  const dirs = plan.stages.filter((s) => s.kind === 'probe' || s.kind === 'fuse').map((s) => s.dir);
  const warnings = new Warnings();
  const loaded = [];
  for (const d of dirs) {
    try {
      loaded.push(loadResultsDir(d, warnings));
    } catch {
      // a folder without results (dry run): left out
    }
  }
  const t = scoreTable(
    buildStudy(
      loaded.filter((d) => d.results.length > 0),
      warnings,
    ),
    'selected',
  );
  if (!t) return [];
  const header = ['model', ...t.datasets];
  // baselines have a single layer: no layer to name (the report calls every layer 0 "CNN")
  const body = t.rows.map((r) => [
    r.name,
    ...r.cells.map((c) => `${c.text}${c.pm ? ` ${c.pm}` : ''}${c.layer && r.group !== 'Baseline' ? ` (${c.layer})` : ''}`),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return ['test UAR % at the layer chosen on validation (in brackets; CNN = layer 0):', line(header), ...body.map(line)];
}

/**
 * The class-recall folder (INTERFACE.md Extensions): `class_recall.csv` (one row per layer and class)
 * and `manifest.json` (`bioprobe.recall/1`, kind `class-recall`: best layer, class order, threshold,
 * the classes no layer separates). `readClassRecall` reads it back into what `classRecall` returns.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic.js';
import { formatCsv, readCsvTable, requireColumns } from '../util/csv.js';
import { BioprobeError } from '../util/errors.js';
import { VERSION } from '../util/version.js';
import { RECALL_FORMAT, type ClassRecall } from './classRecall.js';

export const CLASS_RECALL_CSV = 'class_recall.csv';
export const CLASS_RECALL_KIND = 'class-recall';
export const CLASS_RECALL_COLUMNS = ['model', 'dataset', 'layer', 'class', 'recall_mean', 'recall_std', 'seeds', 'n'] as const;

const num = (v: number) => (Number.isNaN(v) ? '' : Number.isInteger(v) ? v : v.toPrecision(6));

/** Write class_recall.csv and manifest.json into `out` (created). */
export function writeClassRecall(out: string, r: ClassRecall): void {
  mkdirSync(out, { recursive: true });
  const rows = r.cells.map((c) => ({
    model: r.model,
    dataset: r.dataset,
    layer: c.layer,
    class: c.class,
    recall_mean: num(c.mean),
    recall_std: num(c.std),
    seeds: c.seeds,
    n: c.n,
  }));
  writeFileAtomic(join(out, CLASS_RECALL_CSV), formatCsv(CLASS_RECALL_COLUMNS, rows));
  const { cells: _cells, ...rest } = r;
  writeJsonAtomic(join(out, 'manifest.json'), {
    format: RECALL_FORMAT,
    kind: CLASS_RECALL_KIND,
    created: new Date().toISOString(),
    versions: { bioprobe: VERSION },
    ...rest,
    file: CLASS_RECALL_CSV,
  });
}

/** Read a class-recall folder written by `writeClassRecall` (or another tool following INTERFACE.md). */
export function readClassRecall(dir: string): ClassRecall {
  const mfile = join(dir, 'manifest.json');
  if (!existsSync(mfile)) throw new BioprobeError('results', 'recall-missing', 'no manifest.json', { file: dir });
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(readFileSync(mfile, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new BioprobeError('results', 'recall-manifest', `not valid JSON: ${(err as Error).message.split('\n')[0]}`, { file: mfile });
  }
  if (m.format !== RECALL_FORMAT || m.kind !== CLASS_RECALL_KIND)
    throw new BioprobeError(
      'results',
      'recall-manifest',
      `format/kind is ${JSON.stringify(m.format)}/${JSON.stringify(m.kind)}, expected "${RECALL_FORMAT}"/"${CLASS_RECALL_KIND}"`,
      { file: mfile },
    );
  const table = readCsvTable(join(dir, CLASS_RECALL_CSV), { kind: 'results' });
  requireColumns(table, CLASS_RECALL_COLUMNS);
  const f = (s: string) => (s === '' ? NaN : Number(s));
  const cells = table.rows.map(({ cells: c, line }) => {
    const cell = {
      layer: Number(c.layer),
      class: c.class,
      mean: f(c.recall_mean),
      std: f(c.recall_std),
      seeds: Number(c.seeds),
      n: Number(c.n),
    };
    if (!Number.isInteger(cell.layer) || !Number.isInteger(cell.n))
      throw new BioprobeError('results', 'recall-row', `line ${line}: layer and n must be integers`, { file: table.file });
    return cell;
  });
  const order = Array.isArray(m.class_order) ? m.class_order.map(String) : [...new Set(cells.map((c) => c.class))];
  const layers = Array.isArray(m.layers) ? (m.layers as number[]) : [...new Set(cells.map((c) => c.layer))].sort((a, b) => a - b);
  return {
    model: String(m.model ?? table.rows[0]?.cells.model ?? ''),
    dataset: String(m.dataset ?? table.rows[0]?.cells.dataset ?? ''),
    results: String(m.results ?? dir),
    layers,
    seeds: Array.isArray(m.seeds) ? (m.seeds as number[]) : [],
    best_layer: Number(m.best_layer),
    best_layer_by: m.best_layer_by === 'test' ? 'test' : 'val',
    class_order: order,
    threshold: Number(m.threshold),
    chance: Number(m.chance ?? 1 / order.length),
    cells,
    unseparated: Array.isArray(m.unseparated) ? (m.unseparated as ClassRecall['unseparated']) : [],
  };
}

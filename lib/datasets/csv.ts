/**
 * `csv:<file.csv>`: columns `path,label`, optionally `start,end` (seconds) and `group`; paths relative to
 * the CSV's folder and confined to it; items in file order. Other columns are ignored.
 */
import { dirname, basename, resolve, extname } from 'node:path';
import { DatasetError } from '../util/errors.js';
import { readCsvTable, requireColumns, type CsvRow } from '../util/csv.js';
import { resolveInside } from './paths.js';
import type { Dataset, Item } from './types.js';

/** Parse an optional seconds cell: '' -> undefined; anything else must be a finite number >= 0. */
function parseSeconds(row: CsvRow, column: string, file: string): number | undefined {
  const cell = row.cells[column];
  if (cell === undefined || cell === '') return undefined;
  const v = Number(cell);
  if (!Number.isFinite(v) || v < 0) {
    throw new DatasetError('csv-value', `line ${row.line}: ${column} "${cell}" is not a number of seconds >= 0`, { file });
  }
  return v;
}

/** Check a segment's bounds are usable. */
function checkSegment(start: number | undefined, end: number | undefined, row: CsvRow, file: string): void {
  if (start !== undefined && end !== undefined && !(end > start)) {
    throw new DatasetError('csv-value', `line ${row.line}: end ${end} is not after start ${start}`, { file });
  }
}

/** Load a `csv:` dataset. */
export function loadCsvDataset(file: string, spec = `csv:${file}`): Dataset {
  const abs = resolve(file);
  const root = dirname(abs);
  const table = readCsvTable(abs, { kind: 'dataset' });
  requireColumns(table, ['path', 'label'], 'a csv: dataset needs columns path,label (optional start,end,group)');
  if (table.rows.length === 0) throw new DatasetError('csv-empty', 'CSV has a header but no rows', { file: abs });
  const items: Item[] = table.rows.map((row, index) => {
    const where = { file: abs, line: row.line };
    const path = resolveInside(root, row.cells.path, where);
    const label = row.cells.label;
    if (label === '') throw new DatasetError('csv-value', `line ${row.line}: empty label`, { file: abs });
    const start = parseSeconds(row, 'start', abs);
    const end = parseSeconds(row, 'end', abs);
    checkSegment(start, end, row, abs);
    const item: Item = { index, path, label };
    if (start !== undefined) item.start = start;
    if (end !== undefined) item.end = end;
    const group = row.cells.group;
    if (group !== undefined && group !== '') item.group = group;
    return item;
  });
  return { spec, name: basename(abs, extname(abs)), root, items };
}

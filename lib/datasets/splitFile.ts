/**
 * The split file of INTERFACE.md: CSV `index,path,label,split` (plus `start,end,group` for segments and
 * grouped splits), one row per item in dataset order.
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { DatasetError } from '../util/errors.js';
import { csvCell, readCsvTable, requireColumns } from './csvTable.js';
import { SPLIT_NAMES, type SplitName } from './split.js';
import type { Dataset } from './types.js';

export interface SplitRow {
  index: number;
  path: string;
  label: string;
  split: SplitName;
}

/** The split file's text for `dataset` and one split name per item. */
export function formatSplitCsv(dataset: Dataset, split: readonly SplitName[]): string {
  if (split.length !== dataset.items.length) {
    throw new DatasetError('split-size', `split has ${split.length} entries but the dataset has ${dataset.items.length} items`);
  }
  const lines = ['index,path,label,split,start,end,group'];
  for (const it of dataset.items) {
    lines.push([it.index, csvCell(it.path), csvCell(it.label), split[it.index], csvCell(it.start), csvCell(it.end), csvCell(it.group)].join(','));
  }
  return lines.join('\n') + '\n';
}

export function writeSplitCsv(file: string, dataset: Dataset, split: readonly SplitName[]): void {
  const text = formatSplitCsv(dataset, split);
  try {
    writeFileSync(file, text);
  } catch (err) {
    throw new DatasetError('split-write', `cannot write split file (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { file, cause: err });
  }
}

/** Read a split file; rows must be in index order 0..N-1 with split in train|val|test. */
export function readSplitCsv(file: string): SplitRow[] {
  const table = readCsvTable(file);
  requireColumns(table, ['index', 'split'], 'a split file has columns index,path,label,split');
  return table.rows.map((row, k) => {
    const index = Number(row.cells.index);
    if (row.cells.index === '' || index !== k) {
      throw new DatasetError('split-order', `line ${row.line}: index "${row.cells.index}" where ${k} was expected (rows must be in dataset order)`, { file });
    }
    const split = row.cells.split as SplitName;
    if (!SPLIT_NAMES.includes(split)) {
      throw new DatasetError('split-value', `line ${row.line}: split "${row.cells.split}" is not train, val or test`, { file });
    }
    return { index, path: row.cells.path ?? '', label: row.cells.label ?? '', split };
  });
}

/**
 * The split names of a split file for `dataset`, checking the file was made for it: same count, and the
 * same label and file name on every row where the file has them (folders may differ between machines).
 */
export function splitForDataset(file: string, dataset: Dataset): SplitName[] {
  const rows = readSplitCsv(file);
  if (rows.length !== dataset.items.length) {
    throw new DatasetError('split-mismatch', `split file has ${rows.length} rows but dataset ${dataset.spec} has ${dataset.items.length} items`, { file });
  }
  for (const r of rows) {
    const it = dataset.items[r.index];
    if ((r.path !== '' && basename(r.path) !== basename(it.path)) || (r.label !== '' && r.label !== it.label)) {
      throw new DatasetError('split-mismatch', `row for index ${r.index} is ${r.path} (${r.label}) but the dataset has ${it.path} (${it.label})`, {
        file, hint: 'was the split written for another dataset or item order?',
      });
    }
  }
  return rows.map((r) => r.split);
}

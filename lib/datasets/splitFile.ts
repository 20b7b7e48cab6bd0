/**
 * The split file of INTERFACE.md: CSV `index,path,label,split` (plus `start,end,group` for segments and
 * grouped splits), one row per item in dataset order.
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { DatasetError } from '../util/errors.js';
import { csvLine, csvNumber, readCsvTable, requireColumns } from '../util/csv.js';
import { SPLIT_NAMES, type SplitName } from './split.js';
import type { Dataset, Item } from './types.js';

export interface SplitRow {
  index: number;
  /** '' when the file has no path column or leaves the cell empty (then not checked). */
  path: string;
  label: string;
  split: SplitName;
  /** The `start`/`end` cells, when the file has them (segments). */
  start?: number;
  end?: number;
  /** 1-based line in the split file. */
  line: number;
}

/** What a split row must match: an item of a dataset, or a row of a features folder's clips.csv. */
export interface SplitTarget {
  path: string;
  label: string;
  start?: number;
  end?: number;
}

/** What a split file lists: a dataset's items (or a features folder's clips.csv items), in dataset order. */
interface SplitSource {
  items: readonly Item[];
}

/** The split file's text for `dataset` and one split name per item (the one writer: `split`, experiments and `probe`). */
export function formatSplitCsv(dataset: SplitSource, split: readonly SplitName[]): string {
  if (split.length !== dataset.items.length) {
    throw new DatasetError('split-size', `split has ${split.length} entries but the dataset has ${dataset.items.length} items`);
  }
  const lines = ['index,path,label,split,start,end,group'];
  for (const it of dataset.items) lines.push(csvLine([it.index, it.path, it.label, split[it.index], it.start, it.end, it.group]));
  return lines.join('\n') + '\n';
}

export function writeSplitCsv(file: string, dataset: SplitSource, split: readonly SplitName[]): void {
  const text = formatSplitCsv(dataset, split);
  try {
    writeFileSync(file, text);
  } catch (err) {
    throw new DatasetError('split-write', `cannot write split file (${(err as NodeJS.ErrnoException).code ?? String(err)})`, {
      file,
      cause: err,
    });
  }
}

/** Read a split file; rows must be in index order 0..N-1 with split in train|val|test. */
export function readSplitCsv(file: string): SplitRow[] {
  const table = readCsvTable(file, { kind: 'dataset' });
  requireColumns(table, ['index', 'split'], 'a split file has columns index,path,label,split');
  return table.rows.map((row, k) => {
    const index = Number(row.cells.index);
    if (row.cells.index === '' || index !== k) {
      throw new DatasetError(
        'split-order',
        `line ${row.line}: index "${row.cells.index}" where ${k} was expected (rows must be in dataset order)`,
        { file },
      );
    }
    const split = row.cells.split as SplitName;
    if (!SPLIT_NAMES.includes(split)) {
      throw new DatasetError('split-value', `line ${row.line}: split "${row.cells.split}" is not train, val or test`, { file });
    }
    return {
      index,
      path: row.cells.path ?? '',
      label: row.cells.label ?? '',
      split,
      start: csvNumber(row.cells.start),
      end: csvNumber(row.cells.end),
      line: row.line,
    };
  });
}

/**
 * Check a split file's rows against what they split, row by row: same count, and on every row the same
 * path and label (and start/end where both sides have them: segments of one recording share a path).
 * Empty cells are not checked (a hand-made `index,split` file). Throws DatasetError `split-mismatch`
 * naming the first row that differs.
 */
export function checkSplitRows(rows: readonly SplitRow[], targets: readonly SplitTarget[], file: string, against: string): void {
  if (rows.length !== targets.length) {
    throw new DatasetError('split-mismatch', `split file has ${rows.length} rows but ${against} has ${targets.length}`, { file });
  }
  const same = (a: number | undefined, b: number | undefined) => a === undefined || b === undefined || a === b;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const t = targets[i];
    const diff =
      r.path !== '' && r.path !== t.path
        ? `path ${r.path} where ${against} has ${t.path}`
        : r.label !== '' && r.label !== t.label
          ? `label "${r.label}" where ${against} has "${t.label}" (${t.path})`
          : !same(r.start, t.start) || !same(r.end, t.end)
            ? `segment [${r.start ?? ''}, ${r.end ?? ''}] where ${against} has [${t.start ?? ''}, ${t.end ?? ''}] (${t.path})`
            : undefined;
    if (diff) {
      throw new DatasetError('split-mismatch', `line ${r.line} (index ${r.index}): ${diff}`, {
        file,
        hint: 'the split file was written for another dataset, item order or folder; write it again with bioprobe split',
      });
    }
  }
}

/**
 * The split names of a split file for `dataset`, checking the file was made for it: same count, and the
 * same label and file name on every row where the file has them (folders may differ between machines).
 */
export function splitForDataset(file: string, dataset: Dataset): SplitName[] {
  const rows = readSplitCsv(file);
  if (rows.length !== dataset.items.length) {
    throw new DatasetError(
      'split-mismatch',
      `split file has ${rows.length} rows but dataset ${dataset.spec} has ${dataset.items.length} items`,
      { file },
    );
  }
  for (const r of rows) {
    const it = dataset.items[r.index];
    if ((r.path !== '' && basename(r.path) !== basename(it.path)) || (r.label !== '' && r.label !== it.label)) {
      throw new DatasetError(
        'split-mismatch',
        `row for index ${r.index} is ${r.path} (${r.label}) but the dataset has ${it.path} (${it.label})`,
        {
          file,
          hint: 'was the split written for another dataset or item order?',
        },
      );
    }
  }
  return rows.map((r) => r.split);
}

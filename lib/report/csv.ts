/** Reading the CSV files of a results directory into records, with one-line errors naming the file. */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { reportError } from './errors.js';

export type CsvRecord = Record<string, string>;

/** Parse a CSV with a header row; columns in `required` must exist. */
export function readCsv(file: string, required: readonly string[] = []): CsvRecord[] {
  let records: CsvRecord[];
  try {
    records = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, trim: true, bom: true, relax_column_count: true }) as CsvRecord[];
  } catch (err) {
    throw reportError('csv-parse', `not a readable CSV file: ${(err as Error).message.split('\n')[0]}`, file);
  }
  const header = records.length > 0 ? Object.keys(records[0]) : headerOf(file);
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw reportError('csv-columns', `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (found ${header.join(', ') || 'none'})`, file,
      'see INTERFACE.md for the file format');
  }
  return records;
}

function headerOf(file: string): string[] {
  const first = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
  return first.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** A number from a CSV cell; NaN for empty or non-numeric cells. */
export function num(cell: string | undefined): number {
  if (cell === undefined || cell.trim() === '') return NaN;
  const v = Number(cell);
  return Number.isFinite(v) ? v : NaN;
}

/**
 * CSV, one way everywhere. Writing: a cell is quoted when it holds `"`, `,`, `\r` or `\n`, its quotes
 * doubled (RFC 4180); numbers are written as given (a writer that rounds, like the results files,
 * formats them first). Reading: a header row, trimmed cells, a BOM and blank lines ignored, each record
 * with its line number so that errors say "labels.csv line 12: ...". Errors carry the caller's kind
 * (a dataset's CSV fails as a DatasetError, a features folder's clips.csv as a features error).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { makeError, type ErrorKind } from './errors.js';

/** A value to write in a cell: undefined is an empty cell. */
export type CsvValue = string | number | undefined;

/** One cell, quoted when needed. */
export function csvCell(value: CsvValue): string {
  if (value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One line of cells (without its newline). */
export function csvLine(cells: readonly CsvValue[]): string {
  return cells.map(csvCell).join(',');
}

/** A whole file: the header, then one line per row (cells looked up by column, missing ones empty), newline-terminated. */
export function formatCsv<T extends object>(
  columns: readonly (keyof T & string)[],
  rows: Iterable<T>,
  format: (v: CsvValue) => CsvValue = (v) => v,
): string {
  const lines = [csvLine(columns)];
  for (const r of rows) lines.push(csvLine(columns.map((c) => format(r[c] as CsvValue))));
  return lines.join('\n') + '\n';
}

export interface CsvRow {
  /** 1-based line number of the record in the file (the header is line 1). */
  line: number;
  /** Cell values by column name (trimmed; missing trailing cells are ''). */
  cells: Record<string, string>;
}

export interface CsvTable {
  file: string;
  header: string[];
  rows: CsvRow[];
  /** Records left out by `skipMalformedRows` (more cells than the header), with the reason. */
  skipped: { line: number; reason: string }[];
  /** The error kind of the reader that opened it (requireColumns fails with it too). */
  kind: ErrorKind;
}

interface ReadCsvOptions {
  /** Kind of the errors thrown (the stage whose input this file is). */
  kind: ErrorKind;
  /** Leave out a record with more cells than the header (listed in `skipped`) instead of failing the file. */
  skipMalformedRows?: boolean;
}

/** Parse `file`; throws (of `opts.kind`) naming the file (and line) when it is unreadable, empty or malformed. */
export function readCsvTable(file: string, opts: ReadCsvOptions): CsvTable {
  const { kind } = opts;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw makeError(kind, 'csv-unreadable', code === 'ENOENT' ? 'CSV file not found' : `cannot read CSV (${code ?? String(err)})`, {
      file,
      cause: err,
    });
  }
  let records: { info: { lines: number }; record: string[] }[];
  try {
    records = parse(text, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }) as never;
  } catch (err) {
    throw makeError(kind, 'csv-malformed', `malformed CSV: ${(err as Error).message}`, { file, cause: err });
  }
  if (records.length === 0) throw makeError(kind, 'csv-empty', 'CSV is empty (expected a header row and at least one row)', { file });
  const header = records[0].record.map((h) => h.trim());
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) throw makeError(kind, 'csv-header', `duplicate column "${h}" in the header`, { file });
    seen.add(h);
  }
  const rows: CsvRow[] = [];
  const skipped: CsvTable['skipped'] = [];
  for (let r = 1; r < records.length; r++) {
    const { info, record } = records[r];
    if (record.length > header.length && record.slice(header.length).some((c) => c !== '')) {
      const reason = `${record.length} cells but the header has ${header.length} columns`;
      if (opts.skipMalformedRows) {
        skipped.push({ line: info.lines, reason });
        continue;
      }
      throw makeError(kind, 'csv-columns', `line ${info.lines}: ${reason}`, { file });
    }
    const cells: Record<string, string> = {};
    header.forEach((h, k) => {
      cells[h] = record[k] ?? '';
    });
    rows.push({ line: info.lines, cells });
  }
  return { file, header, rows, skipped, kind };
}

/** Throw (of the table's kind) unless every column in `required` is in the header. */
export function requireColumns(table: CsvTable, required: readonly string[], hint?: string): void {
  const missing = required.filter((c) => !table.header.includes(c));
  if (missing.length > 0) {
    throw makeError(
      table.kind,
      'csv-columns',
      `missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')} (header: ${table.header.join(',')})`,
      { file: table.file, hint },
    );
  }
}

/** A number from a cell; undefined for an empty (or absent) cell, NaN for text that is not a number. */
export function csvNumber(cell: string | undefined): number | undefined {
  return cell === undefined || cell === '' ? undefined : Number(cell);
}

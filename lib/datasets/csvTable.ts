/**
 * Reading a small CSV table with a header row, keeping each record's line number so that errors can
 * say "labels.csv line 12: ...". Every CSV the datasets stage reads goes through here.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DatasetError } from '../util/errors.js';

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
}

export interface ReadCsvOptions {
  /** Leave out a record with more cells than the header (listed in `skipped`) instead of failing the file. */
  skipMalformedRows?: boolean;
}

/** Parse `file`; throws DatasetError naming the file (and line) when it is unreadable, empty or malformed. */
export function readCsvTable(file: string, opts: ReadCsvOptions = {}): CsvTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DatasetError('csv-unreadable', code === 'ENOENT' ? 'CSV file not found' : `cannot read CSV (${code ?? String(err)})`, { file, cause: err });
  }
  let records: { info: { lines: number }; record: string[] }[];
  try {
    records = parse(text, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }) as never;
  } catch (err) {
    throw new DatasetError('csv-malformed', `malformed CSV: ${(err as Error).message}`, { file, cause: err });
  }
  if (records.length === 0) throw new DatasetError('csv-empty', 'CSV is empty (expected a header row and at least one row)', { file });
  const header = records[0].record.map((h) => h.trim());
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) throw new DatasetError('csv-header', `duplicate column "${h}" in the header`, { file });
    seen.add(h);
  }
  const rows: CsvRow[] = [];
  const skipped: CsvTable['skipped'] = [];
  for (let r = 1; r < records.length; r++) {
    const { info, record } = records[r];
    if (record.length > header.length && record.slice(header.length).some((c) => c !== '')) {
      const reason = `${record.length} cells but the header has ${header.length} columns`;
      if (opts.skipMalformedRows) { skipped.push({ line: info.lines, reason }); continue; }
      throw new DatasetError('csv-columns', `line ${info.lines}: ${reason}`, { file });
    }
    const cells: Record<string, string> = {};
    header.forEach((h, k) => { cells[h] = record[k] ?? ''; });
    rows.push({ line: info.lines, cells });
  }
  return { file, header, rows, skipped };
}

/** Throw unless every column in `required` is in the header. */
export function requireColumns(table: CsvTable, required: readonly string[], hint?: string): void {
  const missing = required.filter((c) => !table.header.includes(c));
  if (missing.length > 0) {
    throw new DatasetError('csv-columns', `missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')} (header: ${table.header.join(',')})`, { file: table.file, hint });
  }
}

/** Quote a CSV cell when needed (RFC 4180). */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

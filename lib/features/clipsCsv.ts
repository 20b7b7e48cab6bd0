/**
 * `clips.csv` of a features folder (INTERFACE.md): one row per item in dataset order, the contract's
 * columns first (`index,path,label,start,end,status`), then extension columns (what was read, how many
 * frames were pooled). `status` is `ok` or a short reason the clip was skipped.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Item } from '../datasets/types.js';
import { BioprobeError } from '../util/errors.js';
import type { ClipRecord } from './journal.js';

export const CLIPS_COLUMNS = ['index', 'path', 'label', 'start', 'end', 'status', 'duration_s', 'sample_rate', 'channels', 'frames', 'chunks', 'flags'] as const;

/** One row of clips.csv, parsed. */
export interface ClipRow {
  item: Item;
  record: ClipRecord;
}

function cell(v: string | number | undefined): string {
  if (v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function rowLine(item: Item, rec: ClipRecord): string {
  return [
    item.index, item.path, item.label, item.start, item.end, rec.status,
    rec.duration_s === undefined ? undefined : Number(rec.duration_s.toFixed(6)),
    rec.sample_rate, rec.channels, rec.frames, rec.chunks, rec.flags || undefined,
  ].map(cell).join(',') + '\n';
}

/** Write clips.csv for `items` (in order), looking each item's record up by index. */
export function writeClipsCsv(path: string, items: Iterable<Item>, recordOf: (index: number) => ClipRecord): void {
  const fd = openSync(path, 'w');
  try {
    let buf = CLIPS_COLUMNS.join(',') + '\n';
    for (const item of items) {
      buf += rowLine(item, recordOf(item.index));
      if (buf.length > 1 << 16) {
        writeSync(fd, buf);
        buf = '';
      }
    }
    writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
}

const num = (s: string | undefined): number | undefined => (s === undefined || s === '' ? undefined : Number(s));

/** Read a clips.csv written by bioprobe (used by the shard merge and by readers of a store). */
export function readClipsCsv(path: string): ClipRow[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  } catch (err) {
    throw new BioprobeError('features', 'clips-csv', `unreadable clips.csv: ${(err as Error).message}`, { file: path });
  }
  return rows.map((r) => ({
    item: { index: Number(r.index), path: r.path, label: r.label, start: num(r.start), end: num(r.end) },
    record: {
      i: Number(r.index), status: r.status, duration_s: num(r.duration_s), sample_rate: num(r.sample_rate),
      channels: num(r.channels), frames: num(r.frames), chunks: num(r.chunks), flags: r.flags || undefined,
    },
  }));
}

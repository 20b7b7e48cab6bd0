/**
 * `clips.csv` of a features folder (INTERFACE.md): one row per item in dataset order, the contract's
 * columns first (`index,path,label,start,end,status`), then extension columns (what was read, how many
 * frames were pooled). `status` is `ok` or a short reason the clip was skipped.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Item } from '../datasets/types.js';
import { csvLine, csvNumber, readCsvTable, requireColumns } from '../util/csv.js';
import type { ClipRecord } from './journal.js';

export const CLIPS_COLUMNS = [
  'index',
  'path',
  'label',
  'start',
  'end',
  'status',
  'duration_s',
  'sample_rate',
  'channels',
  'frames',
  'chunks',
  'flags',
] as const;

/** The columns INTERFACE.md requires of any clips.csv (other tools' folders included). */
const CLIPS_REQUIRED = ['index', 'path', 'label', 'status'] as const;

/** One row of clips.csv, parsed: the item it describes and what extraction recorded about it. */
export interface ClipRow {
  item: Item;
  record: ClipRecord;
}

function rowLine(item: Item, rec: ClipRecord): string {
  return (
    csvLine([
      item.index,
      item.path,
      item.label,
      item.start,
      item.end,
      rec.status,
      rec.duration_s === undefined ? undefined : Number(rec.duration_s.toFixed(6)),
      rec.sample_rate,
      rec.channels,
      rec.frames,
      rec.chunks,
      rec.flags || undefined,
    ]) + '\n'
  );
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

/**
 * Read a clips.csv (the one reader: the shard merge, the probe, results folders). `required`: the
 * columns it must have (default INTERFACE.md's; a tolerant reader of other tools' folders asks for
 * fewer). An absent index is the row's position, an absent status `ok`. Errors are `features` errors.
 */
export function readClipsCsv(path: string, opts: { required?: readonly string[] } = {}): ClipRow[] {
  const table = readCsvTable(path, { kind: 'features' });
  requireColumns(
    table,
    opts.required ?? CLIPS_REQUIRED,
    `clips.csv needs columns ${CLIPS_REQUIRED.join(',')} (optional start,end and extension columns)`,
  );
  return table.rows.map(({ cells: r }, k) => {
    const index = csvNumber(r.index) ?? k;
    return {
      item: { index, path: r.path ?? '', label: r.label ?? '', start: csvNumber(r.start), end: csvNumber(r.end) },
      record: {
        i: index,
        status: r.status || 'ok',
        duration_s: csvNumber(r.duration_s),
        sample_rate: csvNumber(r.sample_rate),
        channels: csvNumber(r.channels),
        frames: csvNumber(r.frames),
        chunks: csvNumber(r.chunks),
        flags: r.flags || undefined,
      },
    };
  });
}

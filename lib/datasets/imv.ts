/**
 * `imv:<root>` (call-type labels) and `imv-caller:<root>` (caller labels): InfantMarmosetsVox.
 * `<root>/labels.csv` has `filename,start,end,duration,calltype,caller`; filename `DATE_TwinT_marmosetI`
 * (no extension); audio at `<root>/data/twin_T/<filename>.wav`. As in the paper's code: rows with calltype
 * 11 (silence) or 12 (noise) are dropped, rows whose audio file is missing are dropped, caller is
 * (T-1)*2 + I - 1. Items are the remaining rows in file order; each is the [start, end] segment of its
 * recording; group = the recording's filename (segments of one recording never straddle a grouped split).
 * Rows with end <= start are kept (as the paper did): they fail per clip later, not the whole dataset.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatasetError } from '../util/errors.js';
import { parseSeconds } from './csv.js';
import { readCsvTable, requireColumns } from './csvTable.js';
import type { Dataset, Item } from './types.js';

export type ImvLabel = 'calltype' | 'caller';

/** Call types the paper drops: 11 = silence, 12 = noise. */
export const IMV_DROPPED_CALLTYPES: readonly string[] = ['11', '12'];

const FILENAME = /^(.+)_Twin(\d+)_marmoset(\d+)$/;

export function loadImvDataset(rootDir: string, label: ImvLabel = 'calltype', spec?: string): Dataset {
  const root = resolve(rootDir);
  const file = join(root, 'labels.csv');
  const table = readCsvTable(file);
  requireColumns(table, ['filename', 'start', 'end', 'calltype'], 'the IMV layout is <root>/labels.csv with columns filename,start,end,duration,calltype,caller');
  const exists = new Map<string, boolean>();
  const dropped = { droppedCalltype: 0, droppedMissingAudio: 0, missingFiles: [] as string[] };
  const items: Item[] = [];
  for (const row of table.rows) {
    const name = row.cells.filename;
    const calltype = row.cells.calltype;
    if (IMV_DROPPED_CALLTYPES.includes(calltype)) { dropped.droppedCalltype++; continue; }
    const m = FILENAME.exec(name);
    if (!m) throw new DatasetError('imv-filename', `line ${row.line}: filename "${name}" is not DATE_TwinT_marmosetI`, { file });
    if (!/^\d+$/.test(calltype)) throw new DatasetError('csv-value', `line ${row.line}: calltype "${calltype}" is not an integer`, { file });
    const twin = Number(m[2]);
    const marmoset = Number(m[3]);
    const path = join(root, 'data', `twin_${twin}`, `${name}.wav`);
    let present = exists.get(path);
    if (present === undefined) {
      present = existsSync(path);
      exists.set(path, present);
      if (!present) dropped.missingFiles.push(path);
    }
    if (!present) { dropped.droppedMissingAudio++; continue; }
    const start = parseSeconds(row, 'start', file);
    const end = parseSeconds(row, 'end', file);
    if (start === undefined || end === undefined) throw new DatasetError('csv-value', `line ${row.line}: start and end are required`, { file });
    // No end > start check: the paper kept every such row, and the split depends on the row count.
    // A zero-length segment is reported per clip by the audio stage instead of failing the dataset.
    const caller = (twin - 1) * 2 + marmoset - 1;
    items.push({ index: items.length, path, label: label === 'caller' ? String(caller) : String(Number(calltype)), start, end, group: name });
  }
  if (items.length === 0) {
    throw new DatasetError('imv-empty', `no usable rows (${dropped.droppedCalltype} silence/noise, ${dropped.droppedMissingAudio} with missing audio)`, {
      file, hint: 'audio is expected at <root>/data/twin_T/<filename>.wav',
    });
  }
  const notes = [
    `dropped ${dropped.droppedCalltype} rows with calltype 11 (silence) or 12 (noise)`,
    `dropped ${dropped.droppedMissingAudio} rows whose audio is missing (${dropped.missingFiles.length} files${dropped.missingFiles.length ? ', e.g. ' + dropped.missingFiles[0] : ''})`,
  ];
  const name = label === 'caller' ? 'imv-caller' : 'imv';
  return { spec: spec ?? `${name}:${rootDir}`, name, root, items, notes };
}

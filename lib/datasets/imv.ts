/**
 * `imv:<root>` (call-type labels) and `imv-caller:<root>` (caller labels): InfantMarmosetsVox, with the
 * rows the paper's code (src/data/imv/imvdataset.py) keeps, in file order.
 *
 * `<root>/labels.csv` has `filename,start,end,duration,calltype,caller`. As in the paper's code:
 *   - filename `DATE_TwinT_marmosetI` is split at `_`; twin = the last character of part 2, marmoset = the
 *     last character of part 3; audio at `<root>/data/twin_T/DATE_TwinT_marmosetI.wav`;
 *   - rows whose audio file is missing are dropped, then rows with calltype > 12 or empty, then calltype
 *     11 (silence) and 12 (noise);
 *   - label = the calltype number (11 classes, 0..10), or caller = (T-1)*2 + I - 1 (10 classes, 0..9);
 *   - each item is the [start, end] segment of its recording; group = the recording.
 * Rows the paper's code could not have run on (a filename without three parts, a calltype that is not a
 * whole number, a start or end that is not a number of seconds, end = start) are skipped with their
 * reason in `skipped`, never failing the dataset; they cannot have been in the paper's data, so skipping
 * them does not move the split. Rows with end < start are kept in place, as the paper kept them (its
 * split is over its rows); their clip fails on its own at extraction (the paper's code read from start to
 * the end of the recording instead).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatasetError } from '../util/errors.js';
import { readCsvTable, requireColumns, type CsvRow } from '../util/csv.js';
import { IMV_CALLER_CLASSES, IMV_CALLTYPE_CLASSES } from './paperClasses.js';
import type { Dataset, Item, SkippedRow } from './types.js';

export type ImvLabel = 'calltype' | 'caller';

/** Call types the paper drops: 11 = silence, 12 = noise; and every calltype above 12. */
export const IMV_DROPPED_CALLTYPES: readonly string[] = ['11', '12'];
export const IMV_MAX_CALLTYPE = 12;

/** The paper's reading of a filename, or the reason it has none. */
function parseFilename(name: string): { date: string; twin: string; marmoset: string } | string {
  const parts = name.split('_');
  if (parts.length < 3 || parts[1] === '' || parts[2] === '') return `filename "${name}" is not DATE_TwinT_marmosetI`;
  return { date: parts[0], twin: parts[1].slice(-1), marmoset: parts[2].slice(-1) };
}

/** A seconds cell: a finite number >= 0, or the reason it is not. */
function seconds(row: CsvRow, column: string): number | string {
  const cell = row.cells[column] ?? '';
  if (cell === '') return `${column} is empty`;
  const v = Number(cell);
  return Number.isFinite(v) && v >= 0 ? v : `${column} "${cell}" is not a number of seconds >= 0`;
}

export function loadImvDataset(rootDir: string, label: ImvLabel = 'calltype', spec?: string): Dataset {
  const root = resolve(rootDir);
  const file = join(root, 'labels.csv');
  const table = readCsvTable(file, { kind: 'dataset', skipMalformedRows: true });
  requireColumns(
    table,
    ['filename', 'start', 'end', 'calltype'],
    'the IMV layout is <root>/labels.csv with columns filename,start,end,duration,calltype,caller',
  );
  const skipped: SkippedRow[] = table.skipped.map((s) => ({ file, ...s }));
  const skip = (row: CsvRow, reason: string) => {
    skipped.push({ file, line: row.line, reason });
  };
  const exists = new Map<string, boolean>();
  const missingFiles: string[] = [];
  const dropped = { missingAudio: 0, above12: 0, silenceNoise: 0 };
  const inverted: number[] = [];
  const items: Item[] = [];
  for (const row of table.rows) {
    const name = row.cells.filename;
    const parsed = parseFilename(name);
    if (typeof parsed === 'string') {
      skip(row, parsed);
      continue;
    }
    const { date, twin, marmoset } = parsed;
    const recording = `${date}_Twin${twin}_marmoset${marmoset}`;
    const path = join(root, 'data', `twin_${twin}`, `${recording}.wav`);
    let present = exists.get(path);
    if (present === undefined) {
      present = existsSync(path);
      exists.set(path, present);
      if (!present) missingFiles.push(path);
    }
    if (!present) {
      dropped.missingAudio++;
      continue;
    }
    const calltype = row.cells.calltype;
    if (calltype === '') {
      skip(row, 'calltype is empty');
      continue;
    }
    if (!/^\d+$/.test(calltype)) {
      skip(row, `calltype "${calltype}" is not a whole number >= 0`);
      continue;
    }
    if (Number(calltype) > IMV_MAX_CALLTYPE) {
      dropped.above12++;
      continue;
    }
    if (IMV_DROPPED_CALLTYPES.includes(String(Number(calltype)))) {
      dropped.silenceNoise++;
      continue;
    }
    if (!/^\d$/.test(twin) || !/^\d$/.test(marmoset)) {
      skip(row, `filename "${name}": twin "${twin}" or marmoset "${marmoset}" is not a digit`);
      continue;
    }
    const start = seconds(row, 'start');
    if (typeof start === 'string') {
      skip(row, start);
      continue;
    }
    const end = seconds(row, 'end');
    if (typeof end === 'string') {
      skip(row, end);
      continue;
    }
    if (end === start) {
      skip(row, `end ${end} equals start: an empty segment`);
      continue;
    }
    if (end < start) inverted.push(row.line);
    const caller = (Number(twin) - 1) * 2 + Number(marmoset) - 1;
    if (label === 'caller' && !IMV_CALLER_CLASSES.includes(String(caller))) {
      skip(row, `caller (T-1)*2 + I - 1 = ${caller} is not one of the paper's 10 callers 0..9`);
      continue;
    }
    items.push({
      index: items.length,
      path,
      label: label === 'caller' ? String(caller) : String(Number(calltype)),
      start,
      end,
      group: recording,
    });
  }
  if (items.length === 0) {
    throw new DatasetError(
      'imv-empty',
      `no usable rows (${dropped.silenceNoise} silence/noise, ${dropped.missingAudio} with missing audio, ${skipped.length} skipped)`,
      {
        file,
        hint: 'audio is expected at <root>/data/twin_T/<filename>.wav',
      },
    );
  }
  const notes = [
    `dropped ${dropped.missingAudio} rows whose audio is missing (${missingFiles.length} files${missingFiles.length ? ', e.g. ' + missingFiles[0] : ''})`,
    `dropped ${dropped.above12} rows with calltype above 12`,
    `dropped ${dropped.silenceNoise} rows with calltype 11 (silence) or 12 (noise)`,
  ];
  if (skipped.length > 0) notes.push(`skipped ${skipped.length} malformed rows (first: line ${skipped[0].line}, ${skipped[0].reason})`);
  if (inverted.length > 0)
    notes.push(
      `kept ${inverted.length} rows with end before start in place, as the paper did (first: line ${inverted[0]}); their clips fail at extraction`,
    );
  const name = label === 'caller' ? 'imv-caller' : 'imv';
  const classes = [...(label === 'caller' ? IMV_CALLER_CLASSES : IMV_CALLTYPE_CLASSES)];
  return { spec: spec ?? `${name}:${rootDir}`, name, root, items, notes, skipped, classes, chunkLongClips: false };
}

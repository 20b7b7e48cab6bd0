/**
 * imv: and abzaliev: keep exactly the rows the authors' loaders keep (fixtures made by running their
 * IMVDataset / AbzalievDataset: tools/make_imv_reference.py, tools/make_abzaliev_reference.py).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadDataset } from '../../lib/datasets/load.js';
import { put, tempDir } from './helpers.js';

interface Ref {
  labels_csv: string;
  recordings: string[];
  rows: { audio_file: string; start: number; end: number; calltypeID: number; individualID: number }[];
}

test("imv: the same rows, in the same order, as the authors' imvdataset.py on a labels.csv with its quirks", async () => {
  const ref = JSON.parse(readFileSync('test/fixtures/datasets/imv_reference.json', 'utf8')) as Ref;
  const d = tempDir();
  put(d, 'labels.csv', ref.labels_csv);
  for (const rel of ref.recordings) put(d, rel, ''); // the paper's loader only checks that a recording exists
  const calltype = await loadDataset(`imv:${d}`);
  const caller = await loadDataset(`imv-caller:${d}`);
  assert.equal(ref.rows.length, 8);
  assert.deepEqual(
    calltype.items.map((it) => [it.path.slice(d.length + 1), it.start, it.end, it.label]),
    ref.rows.map((r) => [r.audio_file, r.start, r.end, String(r.calltypeID)]),
    'path, start, end (parsed alike) and calltype',
  );
  assert.deepEqual(
    caller.items.map((it) => it.label),
    ref.rows.map((r) => String(r.individualID)),
  );
  assert.deepEqual(calltype.skipped, [], 'nothing the paper keeps is skipped');
});

test("abzaliev: the same files and class indices as the authors' abzalievdataset.py (.WAV not globbed, S dropped)", async () => {
  const ref = JSON.parse(readFileSync('test/fixtures/datasets/abzaliev_reference.json', 'utf8')) as {
    files: string[];
    rows: { audio_file: string; calltypeID: number }[];
  };
  const d = tempDir();
  for (const rel of ref.files) put(d, rel, '');
  const ds = await loadDataset(`abzaliev:${d}`);
  assert.equal(ref.rows.length, 5);
  // their glob's order is the file system's; the fixture and bioprobe both sort by path
  assert.deepEqual(
    ds.items.map((it) => [it.path.slice(d.length + 1), ds.classes!.indexOf(it.label)]),
    ref.rows.map((r) => [r.audio_file, r.calltypeID]),
  );
  assert.deepEqual(
    ds.skipped!.map((s) => s.file.slice(d.length + 1)),
    ['data/Luna_2017/L-S2/a.WAV'],
  );
});

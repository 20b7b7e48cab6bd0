import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from '../../lib/datasets/load.js';
import { datasetStats, formatStats, naturalCompare } from '../../lib/datasets/stats.js';
import { put, putWav, tempDir } from './helpers.js';

test("stats: Table I's columns from headers and segments; unreadable files counted with reasons", async () => {
  const d = tempDir();
  putWav(d, 'a.wav', 0.1, 16000);
  putWav(d, 'b.wav', 0.3, 8000);
  putWav(d, 'c.wav', 0.2, 16000);
  put(d, 'bad.wav', 'not audio at all');
  put(
    d,
    'labels.csv',
    'path,label,start,end\na.wav,x,,\nb.wav,y,,\nc.wav,x,,\na.wav,10,0.05,0.09\nbad.wav,2,,\nmissing.wav,2,,\nc.wav,y,0.1,0.5\n',
  );
  const s = await datasetStats(await loadDataset(`csv:${join(d, 'labels.csv')}`));
  assert.equal(s.samples, 7);
  assert.equal(s.files, 5);
  assert.equal(s.classes, 4);
  assert.deepEqual(s.classCounts, { 2: 2, 10: 1, x: 2, y: 2 });
  assert.deepEqual(Object.keys(s.classCounts), ['2', '10', 'x', 'y']);
  // lengths (ms): 100, 300, 200, 40, 400 (segment c: 0.1..0.5 even though the file is 0.2 s long)
  const ms = [40, 100, 200, 300, 400];
  assert.equal(s.measured, 5);
  assert.ok(Math.abs(s.totalMinutes - 1040 / 60000) < 1e-9);
  assert.ok(Math.abs(s.medianMs! - 200) < 1e-6);
  const mean = 208;
  const sd = Math.sqrt(ms.reduce((t, x) => t + (x - mean) ** 2, 0) / 4);
  assert.ok(Math.abs(s.stdMs! - sd) < 1e-6, `std ${s.stdMs} vs ${sd}`);
  assert.deepEqual(
    [s.minMs, s.maxMs].map((x) => Math.round(x!)),
    [40, 400],
  );
  assert.deepEqual(s.sampleRates, { 8000: 1, 16000: 4 });
  assert.equal(s.unreadableItems, 2);
  // The audio stage's codes and one-line reasons (docs/AUDIO.md), as clips.csv would record them.
  assert.deepEqual(s.unreadable.map((u) => [u.count, u.code, u.reason]).sort(), [
    [1, 'file-missing', 'no such file (check the dataset root and the path column)'],
    [1, 'not-audio', 'file is text, not audio (starts "not audio at all") (check the path column of the dataset)'],
  ]);
  assert.equal(s.segmentsPastEnd, 1);
  const text = formatStats(s);
  assert.match(text, /samples +7 \(5 files\)/);
  assert.match(text, /median length +200 ms/);
  assert.match(text, /unreadable +2 item\(s\)/);
  assert.match(text, /segments past the end of their file: 1/);
});

test('stats: a length probe (by default the decoder) fills in files whose header cannot tell', async () => {
  const d = tempDir();
  const b = Buffer.alloc(64);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(56, 4);
  b.write('WAVEfmt ', 8, 'latin1');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(0x55, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(22050, 24);
  b.write('data', 36, 'latin1');
  b.writeUInt32LE(20, 40);
  put(d, 'm.wav', b);
  put(d, 'l.csv', 'path,label\nm.wav,a\n');
  const ds = await loadDataset(`csv:${join(d, 'l.csv')}`);
  const without = await datasetStats(ds, { probe: false });
  assert.equal(without.measured, 0);
  assert.match(without.unreadable[0].reason, /MP3 in WAV: the length needs decoding/);
  assert.equal(without.unreadable[0].code, undefined, 'readable, only its length is unknown');
  assert.deepEqual(without.sampleRates, { 22050: 1 });
  const withProbe = await datasetStats(ds, { probe: async () => ({ sampleRate: 22050, frames: 44100 }) });
  assert.equal(withProbe.measured, 1);
  assert.equal(withProbe.medianMs, 2000);
  // By default the decoder is asked; these 20 zero bytes are no MPEG stream: its reason and code are reported.
  const decoded = await datasetStats(ds);
  assert.deepEqual([decoded.measured, decoded.unreadable[0].code], [0, 'decode-failed']);
  assert.match(decoded.unreadable[0].reason, /MPEG decoder produced no samples/);
});

test('stats: class counts follow the class map, classes without items included; skipped rows are listed', async () => {
  const d = tempDir();
  for (const rel of ['data/Luna_1/L-S2/a.wav', 'data/Luna_1/L-H/b.wav', 'data/Luna_1/S/c.wav']) putWav(d, rel, 0.1, 48000);
  put(d, 'data/Luna_1/L-A/x.WAV', 'x');
  const s = await datasetStats(await loadDataset(`abzaliev:${d}`));
  assert.equal(s.samples, 2);
  assert.deepEqual([s.classes, s.classesPresent], [14, 2], "the paper's Table I counts Abzaliev's 14 classes");
  assert.deepEqual(Object.keys(s.classCounts).slice(0, 8), ['L-S1', 'L-S2', 'L-S3', 'L-A', 'L-PA', 'L-P', 'L-O', 'S']);
  assert.deepEqual([s.classCounts['L-S2'], s.classCounts['L-H'], s.classCounts.S], [1, 1, 0]);
  assert.equal(s.skipped.length, 1);
  const text = formatStats(s);
  assert.match(text, /classes +14 \(2 with items\)/);
  assert.match(text, /note: dropped 1 files of call type S/);
  assert.match(text, /skipped rows +1\n {2}.*L-A\/x\.WAV: extension is not lower-case \.wav/);
});

test('naturalCompare orders numeric labels by value', () => {
  assert.deepEqual(['10', '2', 'b', '1', 'a'].sort(naturalCompare), ['1', '2', '10', 'a', 'b']);
});

const SHARED = '/work/shared/data/animal-sounds/labels.csv';
test('stats account for all 875 rows of the shared animal-sounds set', {
  skip: !existsSync(SHARED) && 'shared data absent: ' + SHARED,
}, async () => {
  const s = await datasetStats(await loadDataset(`csv:${SHARED}`));
  assert.equal(s.samples, 875);
  assert.equal(s.classes, 10);
  assert.equal(s.measured + s.unreadableItems, 875, 'every row measured or reported');
  assert.equal(s.unreadableItems, 0, JSON.stringify(s.unreadable));
  assert.ok(Object.keys(s.sampleRates).length >= 7);
  assert.ok(s.minMs! > 150 && s.maxMs! <= 40_500, `${s.minMs}..${s.maxMs}`);
});

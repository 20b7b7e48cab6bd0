import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadDataset, parseSpec } from '../../lib/datasets/load.js';
import { parseClassesOption } from '../../lib/datasets/classes.js';
import { syntheticDir } from '../../lib/datasets/synthetic/materialise.js';
import { SYNTHETIC_VERSION } from '../../lib/datasets/synthetic/generate.js';
import { DatasetError } from '../../lib/util/errors.js';
import { put, putWav, tempDir, throwsLine } from './helpers.js';

/** Assert `p` rejects with a DatasetError whose one-line text matches `re`. */
async function rejectsWith(p: Promise<unknown>, re: RegExp) {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof DatasetError, `DatasetError expected, got ${String(err)}`);
    const line = err.oneLine();
    assert.match(line, re);
    assert.ok(!line.includes('\n'));
    return true;
  });
}

test('csv: rows in file order, paths resolved against the CSV folder, optional start/end/group', async () => {
  const d = tempDir();
  put(d, 'sub/labels.csv', 'path,label,start,end,group,extra\nb.wav,cat,,,r1,x\na/c.wav,dog,1.5,2.25,r2,y\n"q,uoted.wav",cat,0,3,,z\n');
  const ds = await loadDataset(`csv:${join(d, 'sub/labels.csv')}`);
  assert.equal(ds.name, 'labels');
  assert.equal(ds.root, join(d, 'sub'));
  assert.deepEqual(ds.items, [
    { index: 0, path: join(d, 'sub/b.wav'), label: 'cat', group: 'r1' },
    { index: 1, path: join(d, 'sub/a/c.wav'), label: 'dog', start: 1.5, end: 2.25, group: 'r2' },
    { index: 2, path: join(d, 'sub/q,uoted.wav'), label: 'cat', start: 0, end: 3 },
  ]);
});

test('csv: a BOM, CRLF line ends and backslash separators are accepted', async () => {
  const d = tempDir();
  put(d, 'l.csv', '\ufeffpath,label\r\nx.wav,a\r\n');
  const ds = await loadDataset(`csv:${join(d, 'l.csv')}`);
  assert.deepEqual(ds.items, [{ index: 0, path: join(d, 'x.wav'), label: 'a' }]);
  put(d, 'win.csv', 'path,label\nAslan\\aslan_1.wav,lion\n..\\up.wav,x\n');
  await rejectsWith(loadDataset(`csv:${join(d, 'win.csv')}`), /win\.csv: line 3: path "\.\.\\up\.wav" resolves outside/);
  put(d, 'win.csv', 'path,label\nAslan\\aslan_1.wav,lion\n');
  assert.equal((await loadDataset(`csv:${join(d, 'win.csv')}`)).items[0].path, join(d, 'Aslan/aslan_1.wav'));
});

test('csv: paths escaping the CSV folder are rejected (../ and absolute elsewhere), absolute inside is fine', async () => {
  const d = tempDir();
  put(d, 'ds/esc.csv', 'path,label\nok.wav,a\n../outside.wav,b\n');
  await rejectsWith(
    loadDataset(`csv:${join(d, 'ds/esc.csv')}`),
    /esc\.csv: line 3: path "\.\.\/outside\.wav" resolves outside the dataset folder/,
  );
  put(d, 'ds/abs.csv', 'path,label\n/etc/passwd,a\n');
  await rejectsWith(loadDataset(`csv:${join(d, 'ds/abs.csv')}`), /abs\.csv: line 2: path "\/etc\/passwd" resolves outside/);
  put(d, 'ds/sneaky.csv', 'path,label\nsub/../../ds2/x.wav,a\n');
  await rejectsWith(loadDataset(`csv:${join(d, 'ds/sneaky.csv')}`), /resolves outside/);
  put(d, 'ds/inside.csv', `path,label\n${join(d, 'ds/in.wav')},a\n`);
  assert.equal((await loadDataset(`csv:${join(d, 'ds/inside.csv')}`)).items[0].path, join(d, 'ds/in.wav'));
});

test('csv: missing columns, empty file, header only, bad values and unknown schemes give clear one-line errors', async () => {
  const d = tempDir();
  put(d, 'nolabel.csv', 'path,species\nx.wav,a\n');
  await rejectsWith(loadDataset(`csv:${join(d, 'nolabel.csv')}`), /nolabel\.csv: missing column "label"/);
  put(d, 'empty.csv', '');
  await rejectsWith(loadDataset(`csv:${join(d, 'empty.csv')}`), /empty\.csv: CSV is empty/);
  put(d, 'header.csv', 'path,label\n');
  await rejectsWith(loadDataset(`csv:${join(d, 'header.csv')}`), /header\.csv: CSV has a header but no rows/);
  put(d, 'bad.csv', 'path,label,start,end\nx.wav,a,0,1\ny.wav,b,abc,1\n');
  await rejectsWith(loadDataset(`csv:${join(d, 'bad.csv')}`), /bad\.csv: line 3: start "abc" is not a number/);
  put(d, 'order.csv', 'path,label,start,end\nx.wav,a,2,1\n');
  await rejectsWith(loadDataset(`csv:${join(d, 'order.csv')}`), /line 2: end 1 is not after start 2/);
  put(d, 'nolab.csv', 'path,label\nx.wav,\n');
  await rejectsWith(loadDataset(`csv:${join(d, 'nolab.csv')}`), /line 2: empty label/);
  put(d, 'wide.csv', 'path,label\nx.wav,a,extra\n');
  await rejectsWith(loadDataset(`csv:${join(d, 'wide.csv')}`), /line 2: 3 cells but the header has 2 columns/);
  await rejectsWith(loadDataset(`csv:${join(d, 'absent.csv')}`), /absent\.csv: CSV file not found/);
  await rejectsWith(loadDataset('mp3:/x'), /unknown dataset spec "mp3:\/x"/);
  await rejectsWith(loadDataset('/data/labels.csv'), /unknown dataset spec/);
  await rejectsWith(loadDataset('csv:'), /needs a path/);
  await rejectsWith(loadDataset('synthetic:abc'), /n must be a positive integer/);
  await rejectsWith(loadDataset('synthetic:0', { cacheDir: d }), /n must be an integer from 1/);
});

test('folder: one sub-folder per class, audio files at any depth in sorted path order, extensions in any case', async () => {
  const d = tempDir();
  for (const rel of ['b/2.wav', 'b/10.WAV', 'a/z.flac', 'a/sub/y.Mp3', 'a b/k.ogg', 'a/notes.txt', 'a/.hidden.wav', 'top.wav'])
    put(d, rel, 'x');
  const ds = await loadDataset(`folder:${d}`);
  assert.deepEqual(
    ds.items.map((it) => [it.path.slice(d.length + 1), it.label]),
    [
      ['a b/k.ogg', 'a b'],
      ['a/sub/y.Mp3', 'a'],
      ['a/z.flac', 'a'],
      ['b/10.WAV', 'b'],
      ['b/2.wav', 'b'],
    ],
  );
  assert.deepEqual(
    ds.items.map((it) => it.index),
    [0, 1, 2, 3, 4],
  );
  await rejectsWith(loadDataset(`folder:${join(d, 'a/sub')}`), /no audio files in class sub-folders/);
  await rejectsWith(loadDataset(`folder:${join(d, 'nope')}`), /nope: folder not found/);
});

test("watkins: data/annotations.csv path,species, paths relative to data/ and confined to it; the paper's 32-species map", async () => {
  const d = tempDir();
  putWav(d, 'data/audio/b.wav', 0.25, 44100);
  put(d, 'data/annotations.csv', 'path,species,extra\naudio/b.wav,Killer_Whale,1\naudio/a.wav,Bearded_Seal,2\n');
  const ds = await loadDataset(`watkins:${d}`);
  assert.equal(ds.name, 'watkins');
  assert.deepEqual(ds.items, [
    // whole files as the paper described them: [0, frames / rate] from the header (a missing file: no span)
    { index: 0, path: join(d, 'data/audio/b.wav'), label: 'Killer_Whale', start: 0, end: 11025 / 44100 },
    { index: 1, path: join(d, 'data/audio/a.wav'), label: 'Bearded_Seal' },
  ]);
  assert.equal(ds.classes!.length, 32);
  assert.deepEqual([ds.classes![0], ds.classes![3], ds.classes![31]], ['Clymene_Dolphin', 'Beluga,_White_Whale', 'Common_Dolphin']);
  assert.equal(ds.chunkLongClips, undefined, 'the paper chunked long Watkins clips');
  put(d, 'data/annotations.csv', 'path,species\n../x.wav,Killer_Whale\n');
  await rejectsWith(loadDataset(`watkins:${d}`), /annotations\.csv: line 2: path "\.\.\/x\.wav" resolves outside/);
  put(d, 'data/annotations.csv', 'path,label\nx.wav,Orca\n');
  await rejectsWith(loadDataset(`watkins:${d}`), /missing column "species"/);
});

test("watkins: rows with an empty cell, extra cells or a species outside the paper's map are skipped with their reason", async () => {
  const d = tempDir();
  put(d, 'data/annotations.csv', 'path,species\na.wav,Walrus\nb.wav,Orca\nc.wav,\n,Walrus\nd.wav,Walrus,surplus\ne.wav,Narwhal\n');
  const ds = await loadDataset(`watkins:${d}`);
  assert.deepEqual(
    ds.items.map((it) => [it.index, it.label]),
    [
      [0, 'Walrus'],
      [1, 'Narwhal'],
    ],
  );
  const file = join(d, 'data/annotations.csv');
  assert.deepEqual(ds.skipped, [
    { file, line: 6, reason: '3 cells but the header has 2 columns' },
    { file, line: 3, reason: 'species "Orca" is not one of the paper\'s 32' },
    { file, line: 4, reason: 'species is empty' },
    { file, line: 5, reason: 'path is empty' },
  ]);
  await rejectsWith(
    loadDataset(`watkins:${d}`, { classes: ['Walrus'] }),
    /item 1 .*e\.wav\) has label "Narwhal", which is not in the class list \[Walrus\]/,
  );
});

/** An IMV tree: recordings of twins 1 and 3, and `rows` after the header. */
function imvTree(rows: string[]): string {
  const d = tempDir();
  putWav(d, 'data/twin_1/20200101_Twin1_marmoset2.wav');
  putWav(d, 'data/twin_3/20200202_Twin3_marmoset1.wav');
  put(d, 'labels.csv', ['filename,start,end,duration,calltype,caller', ...rows].join('\n') + '\n');
  return d;
}

test('imv: the rows imvdataset.py keeps: audio present, calltype <= 12 and not 11/12; caller = (T-1)*2 + I - 1', async () => {
  const d = imvTree([
    '20200101_Twin1_marmoset2,0.5,0.627,0.127,2,1',
    '20200101_Twin1_marmoset2,1.0,1.2,0.2,11,1',
    '20200202_Twin3_marmoset1,3.0,3.5,0.5,10,4',
    '20200303_Twin4_marmoset2,1.0,2.0,1.0,1,7',
    '20200202_Twin3_marmoset1,4.0,4.1,0.1,12,4',
    '20200101_Twin1_marmoset2,7.0,7.25,0.25,0,1',
    '20200101_Twin1_marmoset2,8.0,8.5,0.5,13,1',
    '20200101_Twin1_marmoset2,8.5,8.75,0.25,99,1',
    '20200101_Twin1_marmoset2,9.5,9.25,-0.25,3,1',
  ]);
  const rec1 = join(d, 'data/twin_1/20200101_Twin1_marmoset2.wav');
  const rec3 = join(d, 'data/twin_3/20200202_Twin3_marmoset1.wav');
  const ds = await loadDataset(`imv:${d}`);
  assert.deepEqual(ds.items, [
    { index: 0, path: rec1, label: '2', start: 0.5, end: 0.627, group: '20200101_Twin1_marmoset2' },
    { index: 1, path: rec3, label: '10', start: 3.0, end: 3.5, group: '20200202_Twin3_marmoset1' },
    { index: 2, path: rec1, label: '0', start: 7.0, end: 7.25, group: '20200101_Twin1_marmoset2' },
    // end before start: kept in place as the paper kept it (its split counts it); the clip fails at extraction
    { index: 3, path: rec1, label: '3', start: 9.5, end: 9.25, group: '20200101_Twin1_marmoset2' },
  ]);
  const notes = ds.notes!.join(' | ');
  assert.match(notes, /dropped 1 rows whose audio is missing \(1 files, e\.g\. .*twin_4\/20200303_Twin4_marmoset2\.wav\)/);
  assert.match(notes, /dropped 2 rows with calltype above 12/);
  assert.match(notes, /dropped 2 rows with calltype 11 \(silence\) or 12 \(noise\)/);
  assert.match(notes, /kept 1 rows with end before start in place, as the paper did \(first: line 10\)/);
  assert.deepEqual(ds.skipped, []);
  assert.deepEqual(ds.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'], 'class index = calltype number, 11 outputs');
  assert.equal(ds.chunkLongClips, false, 'the paper ran every IMV segment whole');
  const callers = await loadDataset(`imv-caller:${d}`);
  assert.deepEqual(
    callers.items.map((it) => it.label),
    ['1', '4', '1', '1'],
  ); // (1-1)*2+2-1, (3-1)*2+1-1
  assert.deepEqual(callers.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.equal((await loadDataset(`imv:${d}`, { imvLabel: 'caller' })).items[1].label, '4');
});

test('imv: malformed rows are skipped with line and reason, never failing the dataset; the rest keep their order', async () => {
  const d = imvTree([
    '20200101_Twin1_marmoset2,0.5,0.627,0.127,2,1',
    'recording7,0,1,1,2,1',
    '20200101_Twin1_marmoset2,abc,1.2,0.2,3,1',
    '20200101_Twin1_marmoset2,1.0,,0.2,3,1',
    '20200101_Twin1_marmoset2,1.0,1.5,0.5,,1',
    '20200101_Twin1_marmoset2,1.0,1.5,0.5,two,1',
    '20200101_Twin1_marmoset2,1.0,1.5,0.5,-1,1',
    '20200101_Twin1_marmoset2,2.0,2.0,0,4,1',
    '20200101_Twin1_marmoset2,3.0,3.5,0.5,5,1,surplus',
    '20200101_Twin1_marmoset2,-1,0.5,1.5,5,1',
    '20200202_Twin3_marmoset1,3.0,3.5,0.5,10,4',
  ]);
  const ds = await loadDataset(`imv:${d}`);
  assert.deepEqual(
    ds.items.map((it) => [it.index, it.label, it.start]),
    [
      [0, '2', 0.5],
      [1, '10', 3.0],
    ],
  );
  const file = join(d, 'labels.csv');
  assert.deepEqual(
    ds.skipped!.map((s) => [s.file === file, s.line, s.reason]),
    [
      [true, 10, '7 cells but the header has 6 columns'],
      [true, 3, 'filename "recording7" is not DATE_TwinT_marmosetI'],
      [true, 4, 'start "abc" is not a number of seconds >= 0'],
      [true, 5, 'end is empty'],
      [true, 6, 'calltype is empty'],
      [true, 7, 'calltype "two" is not a whole number >= 0'],
      [true, 8, 'calltype "-1" is not a whole number >= 0'],
      [true, 9, 'end 2 equals start: an empty segment'],
      [true, 11, 'start "-1" is not a number of seconds >= 0'],
    ],
  );
  assert.match(ds.notes!.join(' '), /skipped 9 malformed rows \(first: line 10, 7 cells but the header has 6 columns\)/);
  // a caller outside the paper's 10 (twin 6) is skipped for caller labels only
  putWav(d, 'data/twin_6/20200101_Twin6_marmoset1.wav');
  put(
    d,
    'labels.csv',
    'filename,start,end,duration,calltype,caller\n20200101_Twin6_marmoset1,0,0.5,0.5,2,10\n20200101_Twin1_marmoset2,0,0.5,0.5,2,1\n',
  );
  assert.equal((await loadDataset(`imv:${d}`)).items.length, 2);
  const callers = await loadDataset(`imv-caller:${d}`);
  assert.deepEqual(
    callers.items.map((it) => it.label),
    ['1'],
  );
  assert.match(callers.skipped![0].reason, /caller \(T-1\)\*2 \+ I - 1 = 10 is not one of the paper's 10 callers/);
  put(d, 'labels.csv', 'filename,start,end,duration,calltype,caller\nrecording7,0,1,1,2,1\n');
  await rejectsWith(loadDataset(`imv:${d}`), /labels\.csv: no usable rows \(0 silence\/noise, 0 with missing audio, 1 skipped\)/);
});

test('abzaliev: data/<Dog>_*/<calltype>/*.wav, folder S dropped, individual lower-cased before "_", paths sorted, 14 classes', async () => {
  const d = tempDir();
  for (const rel of [
    'data/Luna_2017/L-S2/b.wav',
    'data/Luna_2017/L-S2/a.WAV',
    'data/Luna_2017/S/noise.wav',
    'data/Chufina_x_y/L-A/1.wav',
    'data/Luna_2017/L-A/z.txt',
    'data/Luna_2017/stray.wav',
    'data/Luna_2017/Other/o.wav',
  ])
    put(d, rel, 'x');
  putWav(d, 'data/Luna_2017/L-H/h.wav', 0.5, 48000);
  const ds = await loadDataset(`abzaliev:${d}`);
  assert.deepEqual(
    ds.items.map((it) => [it.path.slice(d.length + 1), it.label, it.group, it.start, it.end]),
    [
      ['data/Chufina_x_y/L-A/1.wav', 'L-A', 'chufina', undefined, undefined], // no readable header: whole file
      ['data/Luna_2017/L-H/h.wav', 'L-H', 'luna', 0, 0.5],
      ['data/Luna_2017/L-S2/b.wav', 'L-S2', 'luna', undefined, undefined],
    ],
  );
  assert.deepEqual(
    ds.skipped!.map((s) => [s.file.slice(d.length + 1), s.reason]),
    [
      ['data/Luna_2017/L-S2/a.WAV', "extension is not lower-case .wav (the paper's glob *.wav did not match it)"],
      ['data/Luna_2017/Other/o.wav', 'call-type folder "Other" is not one of the paper\'s 14'],
    ],
  );
  assert.match(ds.notes!.join(' '), /dropped 1 files of call type S/);
  assert.deepEqual(ds.classes, ['L-S1', 'L-S2', 'L-S3', 'L-A', 'L-PA', 'L-P', 'L-O', 'S', 'CH-P', 'CH-N', 'GR-P', 'GR-N', 'L-TA', 'L-H']);
  assert.equal(ds.chunkLongClips, false);
  await rejectsWith(loadDataset(`abzaliev:${join(d, 'data')}`), /data\/data: folder not found/);
  const e = tempDir();
  put(e, 'data/Luna_2017/S/only-noise.wav', 'x');
  await rejectsWith(loadDataset(`abzaliev:${e}`), /no \.wav files found \(the Abzaliev layout is/);
});

test('class maps: numbers by value then names by default; a classes option replaces it and must hold every label', async () => {
  const d = tempDir();
  put(d, 'l.csv', 'path,label\na.wav,10\nb.wav,2\nc.wav,b\nd.wav,1\ne.wav,A\nf.wav,2\n');
  const spec = `csv:${join(d, 'l.csv')}`;
  assert.deepEqual((await loadDataset(spec)).classes, ['1', '2', '10', 'A', 'b']);
  assert.deepEqual((await loadDataset(spec, { classes: ['b', 'A', '10', '2', '1', 'unused'] })).classes, [
    'b',
    'A',
    '10',
    '2',
    '1',
    'unused',
  ]);
  await rejectsWith(
    loadDataset(spec, { classes: ['1', '2', '10', 'A'] }),
    /item 2 \(.*c\.wav\) has label "b", which is not in the class list/,
  );
  await rejectsWith(loadDataset(spec, { classes: ['1', '1'] }), /class "1" is listed twice/);
  assert.deepEqual(parseClassesOption('x, y,z'), ['x', 'y', 'z']);
  put(d, 'c.json', JSON.stringify(['Beluga,_White_Whale', 'Walrus']));
  put(d, 'c.txt', 'Beluga,_White_Whale\r\nWalrus\n\n');
  assert.deepEqual(parseClassesOption(`@${join(d, 'c.json')}`), ['Beluga,_White_Whale', 'Walrus']);
  assert.deepEqual(parseClassesOption(`@${join(d, 'c.txt')}`), ['Beluga,_White_Whale', 'Walrus']);
  throwsLine(() => parseClassesOption(`@${join(d, 'none.json')}`), /none\.json: cannot read the class list \(ENOENT\)/);
  put(d, 'bad.json', '{"a": 1}');
  throwsLine(() => parseClassesOption(`@${join(d, 'bad.json')}`), /bad\.json: not a JSON array of class names/);
  throwsLine(() => parseClassesOption('a,,b'), /class names must be non-empty strings/);
});

test('spec parsing: bare synthetic means synthetic:600, read from the cache folder when complete', async () => {
  assert.deepEqual(parseSpec('synthetic'), { scheme: 'synthetic', arg: '' });
  assert.deepEqual(parseSpec('csv:a:b.csv'), { scheme: 'csv', arg: 'a:b.csv' });
  assert.deepEqual(parseSpec('imv-caller:/data/imv'), { scheme: 'imv-caller', arg: '/data/imv' });
  // A complete cache folder (manifest present) is used as is: here a stand-in with one item.
  const cache = tempDir();
  const dir = syntheticDir(cache, 600);
  putWav(dir, 'audio/00000.wav');
  put(dir, 'labels.csv', 'path,label,group\naudio/00000.wav,trill,trill-1\n');
  put(dir, 'synthetic.json', JSON.stringify({ format: 'bioprobe.synthetic/1', version: SYNTHETIC_VERSION, n: 600 }));
  const ds = await loadDataset('synthetic', { cacheDir: cache });
  assert.equal(ds.spec, 'synthetic');
  assert.deepEqual(ds.items, [{ index: 0, path: join(dir, 'audio/00000.wav'), label: 'trill', group: 'trill-1' }]);
});

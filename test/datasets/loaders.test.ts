import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadDataset, parseSpec } from '../../lib/datasets/load.js';
import { syntheticDir } from '../../lib/datasets/synthetic/materialise.js';
import { SYNTHETIC_VERSION } from '../../lib/datasets/synthetic/generate.js';
import { DatasetError } from '../../lib/util/errors.js';
import { put, putWav, tempDir } from './helpers.js';

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
  await rejectsWith(loadDataset(`csv:${join(d, 'ds/esc.csv')}`), /esc\.csv: line 3: path "\.\.\/outside\.wav" resolves outside the dataset folder/);
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
  for (const rel of ['b/2.wav', 'b/10.WAV', 'a/z.flac', 'a/sub/y.Mp3', 'a b/k.ogg', 'a/notes.txt', 'a/.hidden.wav', 'top.wav']) put(d, rel, 'x');
  const ds = await loadDataset(`folder:${d}`);
  assert.deepEqual(ds.items.map((it) => [it.path.slice(d.length + 1), it.label]), [
    ['a b/k.ogg', 'a b'], ['a/sub/y.Mp3', 'a'], ['a/z.flac', 'a'], ['b/10.WAV', 'b'], ['b/2.wav', 'b'],
  ]);
  assert.deepEqual(ds.items.map((it) => it.index), [0, 1, 2, 3, 4]);
  await rejectsWith(loadDataset(`folder:${join(d, 'a/sub')}`), /no audio files in class sub-folders/);
  await rejectsWith(loadDataset(`folder:${join(d, 'nope')}`), /nope: folder not found/);
});

test('watkins: data/annotations.csv path,species, paths relative to data/ and confined to it', async () => {
  const d = tempDir();
  put(d, 'data/annotations.csv', 'path,species,extra\naudio/b.wav,Orca,1\naudio/a.wav,BeardedSeal,2\n');
  const ds = await loadDataset(`watkins:${d}`);
  assert.equal(ds.name, 'watkins');
  assert.deepEqual(ds.items, [
    { index: 0, path: join(d, 'data/audio/b.wav'), label: 'Orca' },
    { index: 1, path: join(d, 'data/audio/a.wav'), label: 'BeardedSeal' },
  ]);
  put(d, 'data/annotations.csv', 'path,species\n../x.wav,Orca\n');
  await rejectsWith(loadDataset(`watkins:${d}`), /annotations\.csv: line 2: path "\.\.\/x\.wav" resolves outside/);
  put(d, 'data/annotations.csv', 'path,label\nx.wav,Orca\n');
  await rejectsWith(loadDataset(`watkins:${d}`), /missing column "species"/);
});

test('imv: drops calltypes 11/12 and rows without audio, caller = (T-1)*2 + I - 1, segments, group = recording', async () => {
  const d = tempDir();
  putWav(d, 'data/twin_1/20200101_Twin1_marmoset2.wav');
  putWav(d, 'data/twin_3/20200202_Twin3_marmoset1.wav');
  put(d, 'labels.csv', [
    'filename,start,end,duration,calltype,caller',
    '20200101_Twin1_marmoset2,0.5,0.627,0.127,2,1',
    '20200101_Twin1_marmoset2,1.0,1.2,0.2,11,1',
    '20200202_Twin3_marmoset1,3.0,3.5,0.5,10,4',
    '20200303_Twin4_marmoset2,1.0,2.0,1.0,1,7',
    '20200202_Twin3_marmoset1,4.0,4.1,0.1,12,4',
    '20200101_Twin1_marmoset2,7.0,7.25,0.25,0,1',
    '20200101_Twin1_marmoset2,9.0,9.0,0,3,1',
  ].join('\n') + '\n');
  const rec1 = join(d, 'data/twin_1/20200101_Twin1_marmoset2.wav');
  const rec3 = join(d, 'data/twin_3/20200202_Twin3_marmoset1.wav');
  const ds = await loadDataset(`imv:${d}`);
  assert.deepEqual(ds.items, [
    { index: 0, path: rec1, label: '2', start: 0.5, end: 0.627, group: '20200101_Twin1_marmoset2' },
    { index: 1, path: rec3, label: '10', start: 3.0, end: 3.5, group: '20200202_Twin3_marmoset1' },
    { index: 2, path: rec1, label: '0', start: 7.0, end: 7.25, group: '20200101_Twin1_marmoset2' },
    { index: 3, path: rec1, label: '3', start: 9.0, end: 9.0, group: '20200101_Twin1_marmoset2' }, // kept, like the paper
  ]);
  assert.match(ds.notes!.join(' '), /dropped 2 rows with calltype 11.*dropped 1 rows whose audio is missing/);
  const callers = await loadDataset(`imv-caller:${d}`);
  assert.deepEqual(callers.items.map((it) => it.label), ['1', '4', '1', '1']); // (1-1)*2+2-1, (3-1)*2+1-1
  assert.equal((await loadDataset(`imv:${d}`, { imvLabel: 'caller' })).items[1].label, '4');
  put(d, 'labels.csv', 'filename,start,end,duration,calltype,caller\nrecording7,0,1,1,2,1\n');
  await rejectsWith(loadDataset(`imv:${d}`), /labels\.csv: line 2: filename "recording7" is not DATE_TwinT_marmosetI/);
});

test('abzaliev: data/<Dog>_*/<calltype>/*.wav, folder S dropped, individual lower-cased before "_", paths sorted', async () => {
  const d = tempDir();
  for (const rel of ['data/Luna_2017/L-S2/b.wav', 'data/Luna_2017/L-S2/a.WAV', 'data/Luna_2017/S/noise.wav', 'data/Chufina_x_y/L-A/1.wav',
    'data/Luna_2017/L-A/z.txt', 'data/Luna_2017/stray.wav']) put(d, rel, 'x');
  const ds = await loadDataset(`abzaliev:${d}`);
  assert.deepEqual(ds.items.map((it) => [it.path.slice(d.length + 1), it.label, it.group]), [
    ['data/Chufina_x_y/L-A/1.wav', 'L-A', 'chufina'],
    ['data/Luna_2017/L-S2/a.WAV', 'L-S2', 'luna'],
    ['data/Luna_2017/L-S2/b.wav', 'L-S2', 'luna'],
  ]);
  await rejectsWith(loadDataset(`abzaliev:${join(d, 'data')}`), /data\/data: folder not found/);
  const e = tempDir();
  put(e, 'data/Luna_2017/S/only-noise.wav', 'x');
  await rejectsWith(loadDataset(`abzaliev:${e}`), /no \.wav files found \(the Abzaliev layout is/);
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

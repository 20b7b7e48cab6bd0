import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { readClipsCsv } from '../../lib/features/clipsCsv.js';
import { readNpy } from '../../lib/util/npy.js';
import { mergeShards } from '../../lib/features/shards.js';
import { inspectModel } from '../../lib/models/inspect.js';
import { assertPooledParity, cli, extract, FIXTURES, storeBytes, TINY, TINY_W2V2, tmp, toneDataset, toneWav } from './helpers.js';

const PARITY = `csv:${join(FIXTURES, 'features', 'parity.csv')}`;

for (const tap of ['encoder-input', 'projection'] as const) {
  test(`parity with torchaudio after pooling (hubert_tiny, layer 0 = ${tap}): normalise, tile, chunk, mean/std`, async () => {
    const ref = readNpy(join(FIXTURES, 'features', `reference_${tap}.npy`));
    const [clips, layers, dim] = ref.shape;
    const out = tmp();
    const { manifest: m } = await extract({ model: TINY, dataset: PARITY, out, layer0: tap, maxChunk: 16000, threads: 1 });
    assert.deepEqual([m.count, m.layers, m.dim, m.layer0], [clips, layers, dim, tap]);
    // Table II's count, recorded at extraction (the report never opens a model): the file's float weights
    assert.equal(m.modelInfo.params, inspectModel(TINY).parameters);
    assert.ok(m.modelInfo.params! > 0);
    const rows = readClipsCsv(join(out, 'clips.csv'));
    const index = JSON.parse(readFileSync(join(FIXTURES, 'features', 'index.json'), 'utf8')) as { frames: Record<string, number> };
    assert.deepEqual(
      rows.map((x) => x.record.frames),
      Object.values(index.frames),
    );
    assert.deepEqual(
      rows.map((x) => x.record.chunks),
      [1, 1, 3, 2],
    );
    assert.deepEqual(
      rows.map((x) => x.record.flags),
      [undefined, 'tiled', 'clipped=5221', 'clipped=56'],
    ); // float WAV |x| >= 1 counts as clipped
    assertPooledParity(out, ref, 1e-4, (c) => `clip ${c}`);
  });
}

test('kill -9 mid-run, rerun: resumes, reuses finished clips, same bytes as an uninterrupted run; shards merge to it', async () => {
  const ds = toneDataset(40);
  const full = tmp();
  const a = await extract({ model: TINY, dataset: ds, out: full, threads: 1 });
  assert.match(a.summary, /40 clips: 40 ok, 0 skipped; 40 computed/);

  const cut = tmp();
  const k = cli(['extract', '--model', TINY, '--dataset', ds, '--out', cut, '--threads', '1'], { BIOPROBE_TEST_DIE_AFTER: '20' });
  assert.equal(k.signal, 'SIGKILL');
  assert.ok(!existsSync(join(cut, 'manifest.json')));
  const journaled = readFileSync(join(cut, '.partial', 'progress.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean).length;
  assert.ok(journaled >= 16 && journaled <= 20, `journal holds ${journaled} clips`);

  const notices: string[] = [];
  const b = await extract({ model: TINY, dataset: ds, out: cut, threads: 1, notice: (l) => notices.push(l) });
  assert.match(notices.join('\n'), /stale lock/);
  assert.match(notices.join('\n'), new RegExp(`resuming: ${journaled} of 40`));
  assert.equal(b.state, 'resumed');
  assert.equal(b.computed, 40 - journaled);
  const layers = a.manifest.layers;
  const want = storeBytes(full, layers);
  storeBytes(cut, layers).forEach((buf, i) => assert.ok(buf.equals(want[i]), `file ${i} differs`));
  assert.ok(!existsSync(join(cut, '.partial')) && !existsSync(join(cut, '.lock')));

  // a finished store is not recomputed
  const c = await extract({ model: TINY, dataset: ds, out: cut });
  assert.equal(c.state, 'complete');
  assert.match(c.summary, /already complete/);

  // shard 1/2, (merge refused), 0/2, merge: the same bytes again
  const sh = tmp();
  await extract({ model: TINY, dataset: ds, out: sh, shard: { index: 1, count: 2 }, threads: 1 });
  assert.throws(() => mergeShards(sh), /shard\(s\) 0 of 2 are not finished/);
  await extract({ model: TINY, dataset: ds, out: sh, shard: { index: 0, count: 2 }, threads: 1 });
  const merged = mergeShards(sh);
  assert.equal(merged.identityHash, a.manifest.identityHash);
  storeBytes(sh, layers).forEach((buf, i) => assert.ok(buf.equals(want[i]), `merged file ${i} differs`));
  assert.equal(
    readFileSync(join(sh, 'classes.json'), 'utf8'),
    readFileSync(join(full, 'classes.json'), 'utf8'),
    'the merge keeps the class map',
  );
  assert.ok(!existsSync(join(sh, '.shards')));
});

test('an aborted run (SIGINT/SIGTERM in the CLI) keeps its finished clips, releases the lock and resumes', async () => {
  const ds = toneDataset(12);
  const out = tmp();
  const stop = new AbortController();
  const seen: string[] = [];
  await assert.rejects(
    extract({
      model: TINY,
      dataset: ds,
      out,
      threads: 1,
      signal: stop.signal,
      onProgress: (done, total) => {
        seen.push(`${done}/${total}`);
        if (done === 5) stop.abort();
      },
    }),
    (e: Error & { code?: string }) => e.code === 'interrupted' && /interrupted after 5 of 12 clips/.test(e.message),
  );
  assert.deepEqual(seen, ['1/12', '2/12', '3/12', '4/12', '5/12']);
  assert.ok(!existsSync(join(out, '.lock')));
  assert.equal(
    readFileSync(join(out, '.partial', 'progress.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean).length,
    5,
  );
  const r = await extract({ model: TINY, dataset: ds, out, threads: 1 });
  assert.equal(r.computed, 7);
  assert.equal(r.manifest.summary.ok, 12);
});

test('another model, dataset or live writer on the same folder is refused; --overwrite replaces', async () => {
  const ds = toneDataset(3);
  const out = tmp();
  await extract({ model: TINY, dataset: ds, out });
  const r = cli(['extract', '--model', TINY_W2V2, '--dataset', ds, '--out', out]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /another model file.*refusing to mix.*--overwrite/);
  await assert.rejects(extract({ model: TINY, dataset: ds, out, limit: 2 }), /another dataset/);
  await assert.rejects(extract({ model: TINY, dataset: ds, out, layer0: 'projection' }), /another layer-0 tap/);
  await assert.rejects(extract({ model: TINY, dataset: ds, out, maxChunk: 8000 }), /other preprocessing settings/);
  const o = await extract({ model: TINY_W2V2, dataset: ds, out, overwrite: true });
  assert.equal(o.manifest.modelInfo.id, 'w2v2_ctc_tiny.onnx');

  const busy = tmp();
  writeFileSync(join(busy, '.lock'), JSON.stringify({ pid: process.pid, host: hostname(), started: 'now' }));
  await assert.rejects(extract({ model: TINY, dataset: ds, out: busy }), new RegExp(`another bioprobe process \\(pid ${process.pid}`));
});

test('bad arguments and unusable models exit non-zero with one line', async () => {
  const ds = toneDataset(1);
  const junk = join(tmp(), 'junk.onnx');
  writeFileSync(junk, 'this is not a model');
  for (const [args, re] of [
    [['--model', TINY, '--dataset', ds, '--out', tmp(), '--shard', '3/3'], /--shard must be i\/n/],
    [['--model', junk, '--dataset', ds, '--out', tmp()], /junk\.onnx/],
  ] as [string[], RegExp][]) {
    const r = cli(['extract', ...args]);
    assert.equal(r.code, 1, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, re);
  }
  const out = tmp();
  await assert.rejects(extract({ model: TINY, dataset: ds, out, threads: 0 }), /threads must be a positive integer, got "0"/);
  await assert.rejects(
    extract({ model: TINY, dataset: ds, out, maxChunk: 100 }),
    /maxChunk must be 0 \(never chunk\) or an integer >= 5000/,
  );
  await assert.rejects(extract({ model: '/nonexistent/model.onnx', dataset: ds, out }), /neither a zoo id nor an existing file/);
  await assert.rejects(extract({ model: TINY, dataset: 'nope:x', out }), /unknown dataset spec/);
});

test("classes.json records the dataset's class map; chunking follows the paper: none on IMV by default, --max-chunk none turns it off", async () => {
  const d = tmp('bioprobe-features-imv-');
  mkdirSync(join(d, 'data', 'twin_1'), { recursive: true });
  writeFileSync(join(d, 'data', 'twin_1', '20200101_Twin1_marmoset2.wav'), toneWav(3, 48000));
  writeFileSync(
    join(d, 'labels.csv'),
    'filename,start,end,duration,calltype,caller\n20200101_Twin1_marmoset2,0,1.5,1.5,3,1\n20200101_Twin1_marmoset2,1.5,2.0,0.5,12,1\n20200101_Twin1_marmoset2,2.0,2.5,0.5,10,1\n',
  );
  const out = tmp();
  const r = await extract({ model: TINY, dataset: `imv:${d}`, out, threads: 1 });
  assert.equal(r.manifest.count, 2);
  assert.equal(r.manifest.identity.preprocessing.maxChunk, 0, 'the paper ran IMV segments whole');
  assert.deepEqual(JSON.parse(readFileSync(join(out, 'classes.json'), 'utf8')), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  // a csv dataset keeps the chunk guard; --max-chunk none (0) runs a 48000-sample clip in one piece
  const csv = join(d, 'l.csv');
  writeFileSync(csv, 'path,label\ndata/twin_1/20200101_Twin1_marmoset2.wav,b\n');
  const chunked = await extract({ model: TINY, dataset: `csv:${csv}`, out: tmp(), maxChunk: 5000, threads: 1 });
  const whole = tmp();
  const c = cli([
    'extract',
    '--model',
    TINY,
    '--dataset',
    `csv:${csv}`,
    '--out',
    whole,
    '--max-chunk',
    'none',
    '--classes',
    'a,b',
    '--threads',
    '1',
  ]);
  assert.equal(c.code, 0, c.stderr);
  assert.deepEqual(
    [readClipsCsv(join(chunked.dir, 'clips.csv'))[0].record.chunks, readClipsCsv(join(whole, 'clips.csv'))[0].record.chunks],
    [10, 1],
  );
  assert.deepEqual(JSON.parse(readFileSync(join(whole, 'classes.json'), 'utf8')), ['a', 'b']);
  assert.equal(
    (JSON.parse(readFileSync(join(whole, 'manifest.json'), 'utf8')) as { identity: { preprocessing: { maxChunk: number } } }).identity
      .preprocessing.maxChunk,
    0,
  );
});

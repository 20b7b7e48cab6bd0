import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Item } from '../../lib/datasets/types.js';
import { loadClip, openClips, type ClipOptions, type ClipResult } from '../../lib/audio/index.js';
import { pcm16Wav, tempDir } from './wavbytes.js';

const tmp = tempDir();
after(() => tmp.cleanup());

const noise = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => Math.round(8000 * Math.sin(i * 0.37 * seed) + 3000 * Math.sin(i * 0.011 * seed)));
const A = tmp.write('a.wav', pcm16Wav(noise(44100 * 2, 1), 44100));
const B = tmp.write('b.wav', pcm16Wav(noise(22050 * 3, 2), 22050));
const C = tmp.write('c.wav', pcm16Wav(noise(8000, 3), 8000));
const TEXT = tmp.write('notes.wav', 'this is not audio\n');
const MISSING = join(tmp.dir, 'gone.wav');

let index = 0;
const it = (path: string, start?: number, end?: number): Item => ({ index: index++, path, label: 'x', start, end });

async function collect(items: Item[], opts: ClipOptions = {}) {
  const decodes: string[] = [];
  const out: ClipResult<Item>[] = [];
  for await (const r of openClips(items, { ...opts, onDecode: (p) => decodes.push(p) })) out.push(r);
  return { out, decodes };
}

test('openClips yields every item in order, decodes each file once, reports failures as items', async () => {
  const items = [
    it(A, 0, 0.5),
    it(A, 0.5, 1.25),
    it(A, 1.9, 2),
    it(B, 0.1, 0.2),
    it(MISSING),
    it(B, 2, 3),
    it(A, 0.25, 0.5),
    it(C),
    it(TEXT),
    it(A, 1.5, 1.2),
  ];
  const { out, decodes } = await collect(items);
  assert.deepEqual(
    out.map((r) => r.item.index),
    items.map((i) => i.index),
  );
  assert.deepEqual(decodes, [A, B, MISSING, C, TEXT]);
  assert.deepEqual(
    out.map((r) => r.error?.code ?? 'ok'),
    ['ok', 'ok', 'ok', 'ok', 'file-missing', 'ok', 'ok', 'ok', 'not-audio', 'segment-inverted'],
  );
  assert.deepEqual(
    out.map((r) => r.clip?.samples.length),
    [8000, 12000, 5000, 5000, undefined, 16000, 5000, 16000, undefined, undefined],
  );
  assert.equal(out[2].clip!.flags.tiled, true); // 0.1 s = 1600 samples -> tiled to 5000
  // Each clip equals what loadClip gives for that item alone.
  for (const r of out.filter((x) => x.clip)) assert.deepEqual(r.clip!.samples, (await loadClip(r.item)).samples);
});

test('the cache keeps a file until its last item; over cacheFiles the file needed furthest ahead goes first', async () => {
  const items = [it(A, 0, 0.1), it(B, 0, 0.1), it(A, 0.1, 0.2), it(B, 0.1, 0.2)];
  assert.deepEqual((await collect(items)).decodes, [A, B]);
  assert.deepEqual((await collect(items, { cacheFiles: 1 })).decodes, [A, B, B]);
  // A byte budget smaller than any file keeps only the file the next item needs.
  assert.deepEqual((await collect(items, { cacheBytes: 1 })).decodes, [A, B, A, B]);
  assert.deepEqual((await collect([it(A, 0, 0.1), it(A, 0.2, 0.3), it(A, 0.4, 0.5)], { cacheBytes: 1 })).decodes, [A]);
});

test('16 kHz sources (no resampling): normalising a clip never alters the cached file for overlapping segments', async () => {
  const D = tmp.write('d16k.wav', pcm16Wav(noise(16000, 5), 16000));
  const items = [it(D, 0, 0.6), it(D, 0.3, 0.9), it(D, 0.3, 0.9)];
  const { out, decodes } = await collect(items);
  assert.deepEqual(decodes, [D]);
  assert.deepEqual(out[1].clip!.samples, out[2].clip!.samples);
  assert.deepEqual(out[1].clip!.samples, (await loadClip(items[1])).samples);
});

test('a file that fails is remembered: its other items fail fast with the same reason', async () => {
  const { out, decodes } = await collect([it(TEXT, 0, 1), it(TEXT, 1, 2), it(TEXT)]);
  assert.deepEqual(decodes, [TEXT]);
  assert.ok(out.every((r) => r.error?.code === 'not-audio' && r.error.oneLine() === out[0].error!.oneLine()));
});

test('loadClip throws the AudioError; options reach the preparation (HuBERT chunking)', async () => {
  await assert.rejects(loadClip(it(MISSING)), (e: any) => e.code === 'file-missing');
  const clip = await loadClip(it(B), { maxChunkSamples: 20_000 });
  assert.deepEqual(
    clip.chunks!.map((c) => c.length),
    [20_000, 20_000, 8_000],
  );
});

/**
 * Large uncompressed WAV files are read by position per segment (source.ts). Forced here with
 * randomAccessBytes: 0 on small files: the clips must equal those of the decode-whole path.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Item } from '../../lib/datasets/types.js';
import { openClips, openSource, walkWavPrefix, type ClipOptions, type ClipResult } from '../../lib/audio/index.js';
import { chunk, fmtChunk, sampleBytes, tempDir, wavBytes } from './wavbytes.js';

const tmp = tempDir();
after(() => tmp.cleanup());

const wave = (n: number, ch: number, f: (i: number) => number) => Array.from({ length: n * ch }, (_, i) => f(i));
const rate = 22050;
const FILES = {
  s16stereo: wavBytes([
    fmtChunk({ tag: 1, channels: 2, rate, bits: 16 }),
    chunk(
      'data',
      sampleBytes(
        wave(rate * 2, 2, (i) => Math.round(9000 * Math.sin(i * 0.013))),
        's16',
      ),
    ),
  ]),
  s24: wavBytes([
    fmtChunk({ tag: 1, channels: 1, rate, bits: 24 }),
    chunk(
      'data',
      sampleBytes(
        wave(rate * 2, 1, (i) => Math.round(3e6 * Math.sin(i * 0.021))),
        's24',
      ),
    ),
  ]),
  u8: wavBytes([
    chunk('LIST', new Uint8Array(9)),
    fmtChunk({ tag: 1, channels: 1, rate, bits: 8 }),
    chunk(
      'data',
      sampleBytes(
        wave(rate * 2, 1, (i) => 128 + Math.round(100 * Math.sin(i * 0.03))),
        'u8',
      ),
    ),
  ]),
  f32nan: wavBytes([
    fmtChunk({ tag: 3, channels: 1, rate, bits: 32 }),
    chunk(
      'data',
      sampleBytes(
        wave(rate * 2, 1, (i) => (i === 30000 ? NaN : 0.7 * Math.sin(i * 0.05))),
        'f32',
      ),
    ),
  ]),
  lying: wavBytes([
    fmtChunk({ tag: 1, channels: 1, rate, bits: 16 }),
    chunk(
      'data',
      sampleBytes(
        wave(rate * 2, 1, (i) => ((i * 37) % 20000) - 10000),
        's16',
      ),
      { size: 10 ** 8 },
    ),
  ]),
  adpcm: new Uint8Array(readFileSync(new URL('../fixtures/audio/ima-adpcm-stereo.wav', import.meta.url))),
};
const paths = Object.fromEntries(Object.entries(FILES).map(([k, b]) => [k, tmp.write(`${k}.wav`, b)]));

function items(): Item[] {
  const out: Item[] = [];
  for (const path of Object.values(paths)) {
    for (const [start, end] of [
      [0, 0.05],
      [0.3, 1.1],
      [1.35, 1.6],
      [undefined, undefined],
      [1.9, 2.02],
    ] as const)
      out.push({ index: out.length, path, label: '', start, end });
  }
  return out;
}

async function run(opts: ClipOptions): Promise<ClipResult<Item>[]> {
  const out: ClipResult<Item>[] = [];
  for await (const r of openClips(items(), opts)) out.push(r);
  return out;
}

test('segments read by position equal segments of the whole decode', async () => {
  const whole = await run({});
  const byPos = await run({ randomAccessBytes: 0 });
  assert.equal(whole.length, byPos.length);
  whole.forEach((w, i) => {
    const p = byPos[i];
    const what = `${w.item.path} [${w.item.start}, ${w.item.end}]`;
    assert.equal(p.error?.code, w.error?.code, what);
    if (!w.clip) return;
    assert.deepEqual(p.clip!.samples, w.clip.samples, what);
    assert.deepEqual(
      [
        p.clip!.sourceRate,
        p.clip!.sourceChannels,
        p.clip!.sourceCodec,
        p.clip!.durationSeconds,
        p.clip!.flags.truncated,
        p.clip!.flags.segmentClamped,
      ],
      [
        w.clip.sourceRate,
        w.clip.sourceChannels,
        w.clip.sourceCodec,
        w.clip.durationSeconds,
        w.clip.flags.truncated,
        w.clip.flags.segmentClamped,
      ],
      what,
    );
  });
  // By position, NaN counts belong to the segment that holds them (sample 30000 = 1.36 s).
  const nan = byPos.filter((r) => r.item.path === paths.f32nan).map((r) => r.clip!.flags.nonFinite);
  assert.deepEqual(nan, [0, 0, 1, 1, 0]);
});

test('only plain PCM/float/G.711 WAV is read by position; other files are decoded whole', async () => {
  const pos = await openSource(paths.s16stereo, { randomAccessBytes: 0 });
  assert.equal(pos.bytes, 0, 'nothing held in memory');
  assert.equal(pos.frames, rate * 2);
  await pos.close();
  const adpcm = await openSource(paths.adpcm, { randomAccessBytes: 0 });
  assert.ok(adpcm.bytes > 0, 'ADPCM decoded whole');
  await adpcm.close();
});

test('a prefix without fmt or the start of data gives no layout (the caller reads the whole file)', () => {
  const bytes = FILES.u8;
  assert.equal(walkWavPrefix(bytes.subarray(0, 20), 'x.wav', bytes.length), undefined);
  const layout = walkWavPrefix(bytes.subarray(0, 70), 'x.wav', bytes.length)!;
  assert.equal(layout.dataLength, rate * 2);
  assert.equal(layout.truncated, false);
});

/**
 * "Nothing crashes the process": valid files of every container, with bytes flipped, runs zeroed,
 * sizes rewritten and tails cut (seeded, reproducible), must each either decode to finite samples or
 * reject with an AudioError, never throw anything else, hang, or print a stack. The header reader
 * meets the same files: on WAV and AIFF it must agree with the decoder exactly (both parse the same
 * header with the same code); on FLAC/MP3/Ogg it reads what the stream states, or fails with an AudioError.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AudioError } from '../../lib/util/errors.js';
import { decodeAudio, readAudioHeader, type AudioHeader } from '../../lib/audio/index.js';
import { tempDir } from './wavbytes.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/audio/${name}`, import.meta.url)));
const SOURCES = [
  'aiff-16.aiff',
  'aiff-float.aifc',
  'ima-adpcm-stereo.wav',
  'ms-adpcm-stereo.wav',
  'sweep-44100.wav',
  'tone.flac',
  'tone.mp3',
  'tone.ogg',
];

/** xorshift32: a tiny seeded generator so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

function mutate(src: Uint8Array, r: () => number): Uint8Array {
  const b = src.slice();
  const kind = Math.floor(r() * 4);
  const head = Math.min(b.length, 96); // most damage where the headers are
  if (kind === 0) for (let i = 0; i < 1 + r() * 6; i++) b[Math.floor(r() * head)] = Math.floor(r() * 256);
  else if (kind === 1) {
    const p = Math.floor(r() * b.length);
    b.fill(r() < 0.5 ? 0 : 0xff, p, p + Math.floor(r() * 64));
  } else if (kind === 2) {
    const p = 4 + 4 * Math.floor(r() * (head / 4 - 1));
    new DataView(b.buffer).setUint32(p, Math.floor(r() * 2 ** 32), r() < 0.5);
  } else return b.subarray(0, Math.floor(r() * b.length));
  return b;
}

test('mutated files of every container decode or fail with an AudioError', async (t) => {
  const r = rng(20251129);
  const outcomes = new Map<string, number>();
  for (const name of SOURCES) {
    const src = fixture(name);
    for (let i = 0; i < 40; i++) {
      const bytes = mutate(src, r);
      try {
        const a = await decodeAudio(bytes, `${name}#${i}`);
        for (const x of a.samples) assert.ok(Number.isFinite(x), `${name}#${i}: non-finite sample`);
        assert.ok(a.sampleRate > 0 && a.channels > 0);
        outcomes.set('decoded', (outcomes.get('decoded') ?? 0) + 1);
      } catch (err) {
        assert.ok(err instanceof AudioError, `${name}#${i}: ${String(err)}`);
        outcomes.set(err.code, (outcomes.get(err.code) ?? 0) + 1);
      }
    }
  }
  t.diagnostic([...outcomes].map(([k, v]) => `${k} ${v}`).join(', '));
});

test('mutated files: the header reader agrees with the decoder on WAV/AIFF, and never throws anything but an AudioError', async (t) => {
  const tmp = tempDir();
  after(() => tmp.cleanup());
  const r = rng(20260101);
  let agreed = 0,
    compressed = 0;
  for (const name of SOURCES) {
    const src = fixture(name);
    const exact = /\.(wav|aiff|aifc)$/.test(name);
    for (let i = 0; i < 40; i++) {
      const path = tmp.write(`${i}-${name}`, mutate(src, r));
      let h: AudioHeader | string;
      try {
        h = readAudioHeader(path);
      } catch (err) {
        assert.ok(err instanceof AudioError, `${name}#${i}: header threw ${String(err)}`);
        h = err.code;
      }
      if (!exact) {
        compressed++;
        continue;
      }
      let a: Awaited<ReturnType<typeof decodeAudio>> | string;
      try {
        a = await decodeAudio(readFileSync(path), path);
      } catch (err) {
        a = (err as AudioError).code;
      }
      if (typeof h === 'string' || typeof a === 'string')
        assert.equal(h, a, `${name}#${i}: header ${typeof h === 'string' ? h : 'read'}, decoder ${typeof a === 'string' ? a : 'decoded'}`);
      else
        assert.deepEqual(
          [h.codec, h.sampleRate, h.channels, h.frames, h.truncated],
          [a.codec, a.sampleRate, a.channels, a.samples.length, a.truncated],
          `${name}#${i}`,
        );
      agreed++;
    }
  }
  t.diagnostic(`${agreed} mutated WAV/AIFF files agree; ${compressed} FLAC/MP3/Ogg read or refused with an AudioError`);
});

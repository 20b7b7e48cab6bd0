/**
 * "Nothing crashes the process": valid files of every container, with bytes flipped, runs zeroed,
 * sizes rewritten and tails cut (seeded, reproducible), must each either decode to finite samples or
 * reject with an AudioError, never throw anything else, hang, or print a stack.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AudioError } from '../../lib/util/errors.js';
import { decodeAudio } from '../../lib/audio/index.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/audio/${name}`, import.meta.url)));
const SOURCES = ['aiff-16.aiff', 'aiff-float.aifc', 'ima-adpcm-stereo.wav', 'ms-adpcm-stereo.wav', 'sweep-44100.wav', 'tone.flac', 'tone.mp3', 'tone.ogg'];

/** xorshift32: a tiny seeded generator so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 2 ** 32;
  };
}

function mutate(src: Uint8Array, r: () => number): Uint8Array {
  const b = src.slice();
  const kind = Math.floor(r() * 4);
  const head = Math.min(b.length, 96); // most damage where the headers are
  if (kind === 0) for (let i = 0; i < 1 + r() * 6; i++) b[Math.floor(r() * head)] = Math.floor(r() * 256);
  else if (kind === 1) { const p = Math.floor(r() * b.length); b.fill(r() < 0.5 ? 0 : 0xff, p, p + Math.floor(r() * 64)); }
  else if (kind === 2) { const p = 4 + 4 * Math.floor(r() * (head / 4 - 1)); new DataView(b.buffer).setUint32(p, Math.floor(r() * 2 ** 32), r() < 0.5); }
  else return b.subarray(0, Math.floor(r() * b.length));
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

/**
 * bioprobe's prepared clips vs the paper's preprocessing on real recordings (a check run by hand; the
 * numbers are in docs/AUDIO.md "Resampling"). First run tools/librosa_prepare.py, then:
 *
 *   node --import tsx tools/compare_prepared.ts /tmp/librosa-prepared
 *
 * Per clip: the decoded mono samples before resampling (bioprobe's decoder and channel mean vs
 * librosa.load(sr=None): soundfile, float32, mean of channels), and the 16 kHz peak-normalised clip
 * through each engine (libsoxr, kaiser) vs librosa.load(sr=16000) / peak. Prints the distribution
 * and every clip whose decoding differs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadClip, readAudio, ResamplerCache } from '../lib/audio/index.js';

interface Entry {
  i: number;
  path: string;
  rate?: number;
  channels?: number | null;
  n?: number;
  error?: string;
  warnings?: string[];
}

const dir = process.argv[2] ?? '/tmp/librosa-prepared';
const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { clips: Entry[] };
const f32 = (p: string) => {
  const b = readFileSync(p);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
const engines = { libsoxr: new ResamplerCache({ resampler: 'libsoxr' }), kaiser: new ResamplerCache({ resampler: 'kaiser' }) };

function diff(a: Float32Array, b: Float32Array): { max: number; rms: number; len: string } {
  const n = Math.min(a.length, b.length);
  let max = 0,
    s = 0,
    r = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.abs(a[i] - b[i]);
    max = Math.max(max, d);
    s += d * d;
    r += b[i] * b[i];
  }
  return { max, rms: Math.sqrt(s / Math.max(1, r)), len: a.length === b.length ? '' : `${a.length} vs ${b.length}` };
}

/** Per engine: clips whose decoded samples equal librosa's (the resampler alone is compared) and the others. */
const stats: Record<string, number[]> = {
  decode: [],
  libsoxr: [],
  kaiser: [],
  'libsoxr, decoded differently': [],
  'kaiser, decoded differently': [],
};
const odd: string[] = [];
const rates = new Map<number, number>();
for (const e of index.clips) {
  if (e.error) {
    odd.push(`${e.path}: librosa failed (${e.error})`);
    continue;
  }
  rates.set(e.rate!, (rates.get(e.rate!) ?? 0) + 1);
  const a = await readAudio(e.path);
  const d = diff(a.samples, f32(join(dir, `${e.i}.native.f32`)));
  stats.decode.push(d.max);
  if (d.max > 0 || d.len)
    odd.push(
      `${e.path}: decoded ${a.codec} ${a.channels} ch ${a.sampleRate} Hz: max |bioprobe - librosa| ${d.max.toExponential(2)}, relative RMS ${d.rms.toExponential(2)} ${d.len}`,
    );
  const ref = f32(join(dir, `${e.i}.16k.f32`));
  for (const [name, resamplers] of Object.entries(engines)) {
    const c = await loadClip({ index: e.i, path: e.path, label: '' }, { resamplers, minSamples: 0 });
    const r = diff(c.samples, ref);
    stats[d.max > 0 || d.len ? `${name}, decoded differently` : name].push(r.len ? Infinity : r.max);
  }
}
const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
console.log(
  `${index.clips.length} clips; source rates: ${[...rates]
    .sort((a, b) => a[0] - b[0])
    .map(([r, n]) => `${r} Hz x${n}`)
    .join(', ')}`,
);
for (const [name, xs] of Object.entries(stats)) {
  if (xs.length === 0) continue;
  const exact = xs.filter((x) => x === 0).length;
  console.log(
    `${name.padEnd(28)} max |bioprobe - librosa| over clips: median ${q(xs, 0.5).toExponential(2)}, 99% ${q(xs, 0.99).toExponential(2)}, max ${Math.max(...xs).toExponential(2)}; ${exact}/${xs.length} identical, ${xs.filter((x) => x <= 1e-6).length} within 1e-6${xs.some((x) => x === Infinity) ? `, ${xs.filter((x) => x === Infinity).length} of another length (Infinity)` : ''}`,
  );
}
if (odd.length) console.log(`\nclips whose decoded samples differ (${odd.length}):\n${odd.join('\n')}`);

/**
 * Audio throughput on one core (one JS thread; the WebAssembly decoders and the SIMD resampler run
 * on it too), in audio-seconds per wall-second ("x realtime"). Usage:
 *   npm run bench:audio [-- <folder with labels.csv>]   (default ../shared/data/animal-sounds beside the repo)
 * 1. decode only, 2. decode + resample to 16 kHz + peak-normalise + tile (prepareClip), both on file
 *    bytes already in memory (best of 3 passes, first pass shown too), once per resampling engine
 *    (libsoxr, the exact one, where installed; kaiser, the fallback), 3. the same through openClips
 *    from disk (the default engine), 4. each engine alone per source rate, 5. an IMV-like ten-minute
 *    44.1 kHz file cut into 208 segments (decoded once).
 * Target (issue 2): >= 200x realtime for decode + resample on animal-sounds.
 */
import { existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  decodeAudio,
  loadLibsoxr,
  openClips,
  prepareClip,
  Resampler,
  ResamplerCache,
  resolveResampler,
  type DecodedAudio,
  type ResamplerChoice,
} from '../lib/audio/index.js';
import type { Item } from '../lib/datasets/types.js';

const root = process.argv[2] ?? fileURLToPath(new URL('../../shared/data/animal-sounds', import.meta.url));
if (!existsSync(join(root, 'labels.csv'))) {
  console.error(`bench:audio: no labels.csv in ${root} (pass a folder with labels.csv: path,label)`);
  process.exit(2);
}
const paths = readFileSync(join(root, 'labels.csv'), 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((l) => join(root, l.slice(0, l.lastIndexOf(','))));
const files = paths.map((p) => ({ path: p, bytes: new Uint8Array(readFileSync(p)) }));
const mb = files.reduce((s, f) => s + f.bytes.length, 0) / 1e6;

const now = () => performance.now() / 1000;
/** CPU seconds of this process (user + system): steadier than wall time on a shared, loaded machine. */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const fmt = (x: number) => x.toFixed(0).padStart(6);

const soxr = loadLibsoxr();
const engines: ResamplerChoice[] = soxr.ok ? ['libsoxr', 'kaiser'] : ['kaiser'];

async function pass(engine: ResamplerChoice | undefined): Promise<{ wall: number; cpu: number; seconds: number; failed: number }> {
  const prepare = engine !== undefined;
  const resamplers = new ResamplerCache({ resampler: engine ?? 'kaiser' });
  let seconds = 0,
    failed = 0;
  const t0 = now(),
    c0 = cpu();
  for (const f of files) {
    try {
      const a: DecodedAudio = await decodeAudio(f.bytes, f.path);
      seconds += a.samples.length / a.sampleRate;
      if (prepare) prepareClip(a, {}, f.path, {}, resamplers);
    } catch {
      failed++;
    }
  }
  return { wall: now() - t0, cpu: cpu() - c0, seconds, failed };
}

console.log(`bioprobe bench:audio — ${files.length} files (${mb.toFixed(1)} MB) from ${root}, node ${process.version}, one thread`);
console.log(
  soxr.ok ? `libsoxr ${soxr.lib.version} (${soxr.lib.core}) at ${soxr.lib.path}` : `libsoxr not available (${soxr.reason}): kaiser only`,
);
console.log('what                                      audio s   wall s   x realtime   (per CPU-second)');
const passes: [string, ResamplerChoice | undefined][] = [
  ['decode only (bytes in memory)', undefined],
  ...engines.map((e): [string, ResamplerChoice] => [`decode+resample16k(${e})+normalise`, e]),
];
for (const [label, engine] of passes) {
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await pass(engine));
  const best = runs.reduce((a, b) => (b.wall < a.wall ? b : a));
  console.log(
    `${label.padEnd(42)}${fmt(best.seconds)}  ${best.wall.toFixed(2).padStart(7)}  ${fmt(best.seconds / best.wall)}   (${fmt(best.seconds / best.cpu)}x per CPU-s; first pass ${fmt(runs[0].seconds / runs[0].wall)}x, ${best.failed} failed)`,
  );
}
{
  const items: Item[] = paths.map((path, index) => ({ index, path, label: '' }));
  let seconds = 0,
    ok = 0;
  const t0 = now(),
    c0 = cpu();
  for await (const r of openClips(items))
    if (r.clip) {
      ok++;
      seconds += r.clip.durationSeconds;
    }
  const wall = now() - t0,
    used = cpu() - c0;
  console.log(
    `${'openClips from disk (read+all of the above)'.padEnd(42)}${fmt(seconds)}  ${wall.toFixed(2).padStart(7)}  ${fmt(seconds / wall)}   (${fmt(seconds / used)}x per CPU-s; ${ok}/${items.length} ok)`,
  );
}

console.log('\neach engine alone, 60 s of noise -> 16 kHz (per CPU-second); libsoxr also per 2 s clip (it designs its filters per call)');
const exact = soxr.ok ? resolveResampler('libsoxr') : undefined;
for (const rate of [8000, 11025, 11127, 22050, 44100, 48000, 96000, 192000]) {
  const t0 = now();
  const r = new Resampler(rate, 16000);
  const build = now() - t0;
  const x = new Float32Array(rate * 60);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.1) * 0.5 + ((i * 7919) % 1000) / 5000;
  r.process(x.subarray(0, rate));
  const t1 = cpu();
  r.process(x);
  const dt = cpu() - t1;
  let line = `  ${String(rate).padStart(6)} Hz: kaiser ${r.mode.padEnd(12)} L/M ${r.up}/${r.down}, ${r.taps} taps, table ${(build * 1000).toFixed(0)} ms, ${fmt(60 / dt)}x realtime`;
  if (exact) {
    const c = exact.converter(rate, 16000);
    c.process(x.subarray(0, rate));
    const t2 = cpu();
    c.process(x);
    const ds = cpu() - t2;
    const clip = x.subarray(0, rate * 2);
    const t3 = cpu();
    for (let i = 0; i < 50; i++) c.process(clip);
    const per = (cpu() - t3) / 50;
    line += `; libsoxr ${fmt(60 / ds)}x realtime, ${(per * 1000).toFixed(2)} ms per 2 s clip (${fmt(2 / per)}x)`;
  }
  console.log(line);
}

{
  // IMV-like: one ten-minute 44.1 kHz 16-bit file, 208 segments of 0.1..1.2 s (IMV averages 208 per file).
  const dir = mkdtempSync(join(tmpdir(), 'bioprobe-bench-'));
  const n = 44100 * 600;
  const buf = Buffer.alloc(44 + n * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + n * 2, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(44100, 24);
  buf.writeUInt32LE(88200, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) buf.writeInt16LE(Math.round(8000 * Math.sin(i * 0.05) + 2000 * Math.sin(i * 0.0007)), 44 + 2 * i);
  const path = join(dir, 'twin.wav');
  writeFileSync(path, buf);
  const items: Item[] = Array.from({ length: 208 }, (_, i) => ({
    index: i,
    path,
    label: '',
    start: i * 2.8,
    end: i * 2.8 + 0.1 + (i % 12) * 0.1,
  }));
  for (const engine of engines) {
    let decodes = 0,
      seconds = 0;
    const t0 = now(),
      c0 = cpu();
    for await (const r of openClips(items, { resampler: engine, onDecode: () => decodes++ })) if (r.clip) seconds += r.clip.durationSeconds;
    const wall = now() - t0,
      used = cpu() - c0;
    console.log(
      `\nIMV-like (${engine}): 208 segments (${seconds.toFixed(0)} s) of one 10-min 44.1 kHz file: ${wall.toFixed(2)} s wall (${used.toFixed(2)} CPU-s), ${decodes} decode, ${(208 / wall).toFixed(0)} segments/s`,
    );
    console.log(
      `  -> 72,920 IMV segments of 350 files: ~${((wall * 350) / 60).toFixed(1)} min wall here (${((used * 350) / 60).toFixed(1)} CPU-min)`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
}

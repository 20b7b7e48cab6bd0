/**
 * `npm run bench:checkpoint-parity`: held-out, full-size parity of checkpoint building through the real
 * command. For random-init base-size wav2vec 2.0, HuBERT, WavLM and wav2vec 2.0 + CTC saved by
 * transformers as model.safetensors and as a 2021-style pytorch_model.bin, and an AVES-style torchaudio
 * .pt + JSON (and the same weights as a fairseq checkpoint): `bioprobe extract --model <checkpoint>` on
 * real recordings must give every layer's pooled features within 1e-3 relative of transformers' /
 * torchaudio's hidden states pooled the same way (mean, unbiased std over frames, float64), computed in
 * Python on exactly the waveforms bioprobe prepared (decoded, peak-normalised, tiled to 5000 samples).
 *
 * Needs: /work/venv/bin/python tools/checkpoint_parity.py make (writes .cache/parity/, ~2.9 GB), the
 * torchaudio pair and fairseq file from `/usr/bin/python3 tools/make_checkpoints_torchaudio.py --full`
 * (.cache/checkpoints/), Debian's torchaudio for the AVES reference. Data: ../shared/data/birds (91 clips,
 * 16 kHz: no resampling involved). Env: PARITY_ONLY=name,name (subset), BENCH_THREADS (default 2).
 * Metric per layer: max over clips and over the mean and std halves of max|ours - ref| / max|ref|.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openClips } from '../lib/audio/clips.js';
import { loadDataset } from '../lib/datasets/load.js';
import { clipChunks } from '../lib/features/clipSource.js';
import { readNpy } from '../lib/util/npy.js';

const ROOT = resolve('.');
const PARITY = join(ROOT, '.cache', 'parity');
const CKPTS = join(ROOT, '.cache', 'checkpoints');
const VENV = '/work/venv/bin/python';
const DEBIAN = '/usr/bin/python3';
const TOOL = join(ROOT, 'tools', 'checkpoint_parity.py');
const TOL = 1e-3;
const threads = process.env.BENCH_THREADS ?? '2';
const birds = resolve('../shared/data/birds/labels.csv');
const work = mkdtempSync(join(tmpdir(), 'bioprobe-parity-'));
const cache = join(work, 'cache');

interface Case {
  name: string;
  model: string;
  ref: () => string;
  layer0?: string;
}

function log(s: string): void {
  process.stdout.write(s + '\n');
}

/** The prepared clips exactly as extraction feeds them (one chunk each for these short clips). */
async function dumpClips(): Promise<{ f32: string; lengths: string; count: number }> {
  const ds = await loadDataset(`csv:${birds}`, { cacheDir: cache });
  const parts: Float32Array[] = [];
  for await (const r of openClips(ds.items, {})) {
    if (r.error) throw new Error(`${r.item.path}: ${r.error.message}`);
    const chunks = clipChunks(r.clip);
    if (chunks.length !== 1) throw new Error(`${r.item.path}: ${chunks.length} chunks (the references pool one chunk per clip)`);
    parts.push(chunks[0]);
  }
  const f32 = join(work, 'clips.f32');
  writeFileSync(f32, Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))));
  const lengths = join(work, 'lengths.json');
  writeFileSync(lengths, JSON.stringify(parts.map((p) => p.length)));
  return { f32, lengths, count: parts.length };
}

function python(py: string, args: string[]): void {
  execFileSync(py, [TOOL, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, THREADS: threads } });
}

/** Per-layer worst relative error of the store in `out` against `ref` ([clips, layers, 2D]). */
function compare(out: string, ref: string): number[] {
  const r = readNpy(ref);
  const [clips, layers, twoD] = r.shape;
  const D = twoD / 2;
  const worst: number[] = [];
  for (let l = 0; l < layers; l++) {
    const got = readNpy(join(out, `layer_${String(l).padStart(2, '0')}.npy`)).data;
    let w = 0;
    for (let c = 0; c < clips; c++) {
      for (const half of [0, D]) {
        let num = 0;
        let den = 0;
        for (let d = 0; d < D; d++) {
          const a = got[c * twoD + half + d];
          const b = r.data[(c * layers + l) * twoD + half + d];
          num = Math.max(num, Math.abs(a - b));
          den = Math.max(den, Math.abs(b));
        }
        w = Math.max(w, num / den);
      }
    }
    worst.push(w);
  }
  return worst;
}

async function main(): Promise<void> {
  if (!existsSync(birds)) throw new Error(`${birds} is missing (../shared/data/birds)`);
  if (!existsSync(PARITY)) throw new Error(`${PARITY} is missing: run ${VENV} tools/checkpoint_parity.py make`);
  const clips = await dumpClips();
  log(`bench:checkpoint-parity  ${clips.count} prepared clips of ../shared/data/birds, threads ${threads}, tolerance ${TOL}`);
  const refs = new Map<string, string>();
  const hfRef = (name: string) => () => {
    if (!refs.has(name)) {
      const out = join(work, `${name}.ref.npy`);
      python(VENV, ['refs', join(PARITY, name, 'safetensors'), clips.f32, clips.lengths, out]);
      refs.set(name, out);
    }
    return refs.get(name)!;
  };
  const taRef = () => {
    if (!refs.has('ta')) {
      const out = join(work, 'ta.ref.npy');
      python(DEBIAN, ['refs-torchaudio', join(CKPTS, 'ta_hubert_base_full', 'hubert_base.torchaudio.pt'), clips.f32, clips.lengths, out]);
      refs.set('ta', out);
    }
    return refs.get('ta')!;
  };
  const cases: Case[] = [];
  for (const m of ['w2v2_base', 'hubert_base', 'wavlm_base', 'w2v2_base_ctc']) {
    for (const fmt of ['safetensors', 'bin']) cases.push({ name: `${m} (${fmt})`, model: join(PARITY, m, fmt), ref: hfRef(m) });
  }
  cases.push({ name: 'AVES-style torchaudio .pt + JSON', model: join(CKPTS, 'ta_hubert_base_full'), ref: taRef, layer0: 'projection' });
  cases.push({ name: 'same weights, fairseq .pt', model: join(CKPTS, 'fairseq_hubert_base_full'), ref: taRef, layer0: 'projection' });
  const only = process.env.PARITY_ONLY?.split(',');
  let worstAll = 0;
  const rows: string[] = [];
  for (const c of cases.filter((x) => !only || only.some((o) => x.name.startsWith(o)))) {
    if (!existsSync(c.model)) {
      log(`${c.name}: skipped (${c.model} missing)`);
      continue;
    }
    const ref = c.ref();
    const out = join(work, `out-${rows.length}`);
    const t = Date.now();
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'lib', 'cli', 'main.ts'),
        'extract',
        '--model',
        c.model,
        '--dataset',
        `csv:${birds}`,
        '--out',
        out,
        '--threads',
        threads,
        ...(c.layer0 ? ['--layer0', c.layer0] : []),
      ],
      { encoding: 'utf8', env: { ...process.env, BIOPROBE_CACHE: cache } },
    );
    if (r.status !== 0) throw new Error(`${c.name}: extract failed: ${r.stderr}`);
    const worst = compare(out, ref);
    const max = Math.max(...worst);
    worstAll = Math.max(worstAll, max);
    rows.push(
      `| ${c.name} | ${worst.map((w) => w.toExponential(1)).join(' ')} | ${max.toExponential(2)} | ${max <= TOL ? 'ok' : 'FAIL'} |`,
    );
    log(`${c.name}: max ${max.toExponential(2)} (${((Date.now() - t) / 1000).toFixed(0)} s, build included)`);
  }
  log('\n| checkpoint | per-layer max relative error, layer 0..L | max | <= 1e-3 |\n|---|---|---|---|');
  for (const r of rows) log(r);
  log(`\nworst over every model, format, layer and clip: ${worstAll.toExponential(2)}`);
  if (worstAll > TOL) process.exitCode = 1;
}

main().then(
  () => rmSync(work, { recursive: true, force: true }),
  (err) => {
    process.stderr.write(`bench:checkpoint-parity failed: ${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);

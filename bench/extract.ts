/**
 * `npm run bench:extract`: audio-seconds per second of the whole `bioprobe extract` command (process
 * start to exit: model load, decode, resample, forward, pool, write, sanity) on a full-size random-init
 * HuBERT-base, next to torchaudio's `hubert_base` forward alone on the same prepared clips and threads,
 * and the fraction of this machine's matmul roofline (a large MatMul in onnxruntime) the command reaches.
 *
 * Needs: the full-size export from the models stage (`/usr/bin/python3 tools/export_models.py
 * --only-full` writes .cache/models/hubert-base-random.onnx; run here when missing), Debian's
 * torch/torchaudio/onnx for the reference timings (skipped with a note when absent).
 * Data: ../shared/data/birds (2.4 min of real 16 kHz recordings) or, when absent, synthetic:120.
 * Env: BENCH_THREADS (default 2), BENCH_DATASET (a dataset spec), BENCH_TORCH_BUDGET (seconds of torch
 * timing, default 120, also used for the onnxruntime-alone timing: forwards run over the clips in order until
 * the budget is spent).
 * Figures taken while other processes load the machine are pessimistic.
 *
 * Second row (BENCH_ONLY=built runs only it): the graph bioprobe builds from a checkpoint against the
 * torch-exported graph of the same model, same clips and threads: the AVES-style torchaudio HuBERT-base
 * pair from `/usr/bin/python3 tools/make_checkpoints_torchaudio.py --full` (.cache/checkpoints/
 * ta_hubert_base_full), and its export as AVES exports it (`tools/export_models.py --from-torchaudio`,
 * made here when missing). Whole commands alternate (BENCH_ROUNDS rounds, default 3; both caches warm),
 * forward passes alternate clip by clip in one process, and the two stores' features are compared.
 *
 * Third row (BENCH_ONLY=batch runs only it): IMV-like short segments (0.25 s cut from the birds
 * recordings, three per file: tiled to 5000 samples, one length), both graphs, one clip per forward
 * pass (--batch 1) against equal-length batching (the default --batch 16); stores compared.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { openClips } from '../lib/audio/clips.js';
import { loadDataset } from '../lib/datasets/load.js';
import { clipChunks } from '../lib/features/clipSource.js';
import { openLayerModel } from '../lib/models/layerModel.js';
import { readNpy } from '../lib/util/npy.js';

const ROOT = resolve('.');
const MODEL = join(ROOT, '.cache', 'models', 'hubert-base-random.onnx');
const OUT = join(ROOT, 'bench', 'out');
const DIST = join(OUT, 'dist');
const PY = '/usr/bin/python3';
const threads = Number(process.env.BENCH_THREADS ?? 2);
const birds = resolve('../shared/data/birds/labels.csv');
const spec = process.env.BENCH_DATASET ?? (existsSync(birds) ? `csv:${birds}` : 'synthetic:120');
const cache = mkdtempSync(join(tmpdir(), 'bioprobe-bench-extract-'));

function log(s: string): void {
  process.stdout.write(s + '\n');
}

/** FLOPs of one torchaudio hubert_base forward over n samples (multiply-adds x 2; convs, projections, attention, FFN). */
export function hubertBaseFlops(n: number): number {
  let flops = 0;
  let len = n;
  let cin = 1;
  for (const [k, s] of [
    [10, 5],
    [3, 2],
    [3, 2],
    [3, 2],
    [3, 2],
    [2, 2],
    [2, 2],
  ]) {
    len = Math.floor((len - k) / s) + 1;
    flops += 2 * len * 512 * cin * k;
    cin = 512;
  }
  const T = len;
  const D = 768;
  flops += 2 * T * 512 * D; // feature projection
  flops += 2 * T * D * (D / 16) * 128; // positional conv (16 groups, kernel 128)
  const perLayer = 2 * T * D * D * 4 + 2 * 2 * T * T * D + 2 * 2 * T * D * 3072;
  return flops + 12 * perLayer;
}

function ensureModel(): void {
  if (existsSync(MODEL)) return;
  log(`full-size model missing: running ${PY} tools/export_models.py --only-full (a few minutes)`);
  execFileSync(PY, ['tools/export_models.py', '--only-full'], { stdio: 'inherit' });
}

/** Compile lib/ into bench/out/dist, so the command runs as users run it (node, no tsx). */
function build(): void {
  spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--outDir', DIST], {
    stdio: 'ignore',
  });
  if (!existsSync(join(DIST, 'cli', 'main.js'))) throw new Error('tsc emitted nothing into bench/out/dist');
}

function runExtract(args: string[]): { wall: number; cpu: number; rssMb: number; stdout: string } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', process.execPath, join(DIST, 'cli', 'main.js'), 'extract', ...args], {
    encoding: 'utf8',
    env: { ...process.env, BIOPROBE_CACHE: cache },
  });
  if (r.status !== 0) throw new Error(`extract failed: ${r.stderr}`);
  const [wall, rss, user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { wall, cpu: user + sys, rssMb: rss / 1024, stdout: r.stdout.trim() };
}

/** The prepared clips (exactly what the model sees) as one float32 file + lengths, for the torch timing. */
async function dumpClips(): Promise<{ bin: string; lengths: number[]; audioSeconds: number; parts: Float32Array[] }> {
  const ds = await loadDataset(spec, { cacheDir: cache });
  const parts: Float32Array[] = [];
  let audioSeconds = 0;
  for await (const r of openClips(ds.items, {})) {
    if (r.error || r.clip.flags.silent) continue;
    audioSeconds += r.clip.durationSeconds;
    parts.push(...clipChunks(r.clip));
  }
  const bin = join(OUT, 'clips.f32');
  writeFileSync(bin, Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))));
  return { bin, lengths: parts.map((p) => p.length), audioSeconds, parts };
}

/** onnxruntime forward alone (in process, tapped model, same clips and threads), within `budget` seconds. */
async function ortForward(parts: Float32Array[], budget: number): Promise<{ seconds: number; samples: number }> {
  const model = await openLayerModel(MODEL, { cacheDir: cache, session: { threads } });
  await model.embed(parts[0]);
  const t = performance.now();
  let samples = 0;
  for (const p of parts) {
    await model.embed(p);
    samples += p.length;
    if ((performance.now() - t) / 1000 > budget) break;
  }
  const seconds = (performance.now() - t) / 1000;
  await model.dispose();
  return { seconds, samples };
}

const TORCH_FORWARD = `
import json, sys, time, numpy as np, torch, torchaudio
a = json.loads(sys.argv[1]); torch.set_num_threads(a['threads'])
torch.manual_seed(0); m = torchaudio.models.hubert_base().eval()
x = np.fromfile(a['bin'], dtype='<f4'); clips = []; o = 0
for n in a['lengths']: clips.append(torch.from_numpy(x[o:o + n].copy())[None]); o += n
with torch.inference_mode():
    m(clips[0])
    t = time.perf_counter(); done = 0
    for c in clips:
        m(c); done += c.shape[1]
        if time.perf_counter() - t > a['budget']: break
    print(json.dumps({'seconds': time.perf_counter() - t, 'samples': done, 'torch': torch.__version__}))
`;

const MATMUL = `
import json, sys, time, numpy as np, onnx
from onnx import helper, TensorProto
a = json.loads(sys.argv[1])
g = helper.make_graph([helper.make_node('MatMul', ['A', 'B'], ['C'])], 'mm',
    [helper.make_tensor_value_info('A', TensorProto.FLOAT, [a['m'], a['k']])], [helper.make_tensor_value_info('C', TensorProto.FLOAT, [a['m'], a['n']])],
    [helper.make_tensor('B', TensorProto.FLOAT, [a['k'], a['n']], np.random.RandomState(0).randn(a['k'] * a['n']).astype(np.float32))])
onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid('', 17)]), a['out'])
`;

/** GFLOP/s of a [m x k] x [k x n] MatMul in onnxruntime-node (the best of several runs). */
async function matmulRoofline(): Promise<number> {
  const m = 1024;
  const k = 768;
  const n = 3072;
  const path = join(OUT, 'matmul.onnx');
  if (!existsSync(path)) execFileSync(PY, ['-c', MATMUL, JSON.stringify({ m, k, n, out: path })]);
  const ort = await import('onnxruntime-node');
  const s = await ort.InferenceSession.create(path, { intraOpNumThreads: threads, interOpNumThreads: 1 });
  const feeds = {
    A: new ort.Tensor(
      'float32',
      Float32Array.from({ length: m * k }, (_, i) => Math.sin(i)),
      [m, k],
    ),
  };
  await s.run(feeds);
  let best = Infinity;
  for (let r = 0; r < 20; r++) {
    const t = performance.now();
    await s.run(feeds);
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  await s.release();
  return (2 * m * k * n) / best / 1e9;
}

const CKPT = join(ROOT, '.cache', 'checkpoints', 'ta_hubert_base_full');
const CKPT_ONNX = join(ROOT, '.cache', 'models', 'ta_hubert_base_full.onnx');

/** Per-layer worst relative difference between two stores' rows (mean and std halves apart). */
function storeDiff(a: string, b: string, layers: number): number[] {
  return Array.from({ length: layers }, (_, l) => {
    const x = readNpy(join(a, `layer_${String(l).padStart(2, '0')}.npy`));
    const y = readNpy(join(b, `layer_${String(l).padStart(2, '0')}.npy`));
    const [rows, twoD] = x.shape;
    let worst = 0;
    for (let r = 0; r < rows; r++) {
      for (const half of [0, twoD / 2]) {
        let num = 0;
        let den = 0;
        for (let d = 0; d < twoD / 2; d++) {
          num = Math.max(num, Math.abs(x.data[r * twoD + half + d] - y.data[r * twoD + half + d]));
          den = Math.max(den, Math.abs(y.data[r * twoD + half + d]));
        }
        if (num > 0) worst = Math.max(worst, den > 0 ? num / den : Infinity); // skipped clips: zero rows in both
      }
    }
    return worst;
  });
}

/** Forward passes alone, alternating clip by clip between the two models in one process. */
async function alternatingForward(parts: Float32Array[], files: Record<string, string>): Promise<Record<string, number>> {
  const models = Object.fromEntries(
    await Promise.all(
      Object.entries(files).map(
        async ([k, f]) => [k, await openLayerModel(f, { cacheDir: cache, session: { threads, spinning: false } })] as const,
      ),
    ),
  );
  const seconds: Record<string, number> = Object.fromEntries(Object.keys(models).map((k) => [k, 0]));
  for (const m of Object.values(models)) await m.embed(parts[0]);
  for (const p of parts) {
    for (const [k, m] of Object.entries(models)) {
      const t = performance.now();
      await m.embed(p);
      seconds[k] += (performance.now() - t) / 1000;
    }
  }
  for (const m of Object.values(models)) await m.dispose();
  return seconds;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function builtVsExport(): Promise<void> {
  if (!existsSync(join(CKPT, 'hubert_base.torchaudio.pt'))) {
    log(`built vs export skipped: ${CKPT} missing (/usr/bin/python3 tools/make_checkpoints_torchaudio.py --full)`);
    return;
  }
  if (!existsSync(CKPT_ONNX)) {
    log(`exporting ${CKPT_ONNX} (tools/export_models.py --from-torchaudio)`);
    mkdirSync(join(ROOT, '.cache', 'models'), { recursive: true });
    execFileSync(PY, ['tools/export_models.py', '--from-torchaudio', join(CKPT, 'hubert_base.torchaudio.pt'), '--out', CKPT_ONNX], {
      stdio: 'inherit',
    });
  }
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const A = { name: 'torch export (tapped)', model: CKPT_ONNX };
  const B = { name: 'built from the checkpoint', model: CKPT };
  log(`\nbuilt vs export: ${B.model} against ${A.model}, ${rounds} alternating rounds, threads ${threads}`);
  for (const m of [A, B])
    runExtract([
      '--model',
      m.model,
      '--dataset',
      spec,
      '--out',
      join(cache, `warm-${m === A ? 'a' : 'b'}`),
      '--limit',
      '1',
      '--threads',
      String(threads),
    ]);
  const runs: Record<string, { wall: number; cpu: number }[]> = { a: [], b: [] };
  for (let r = 0; r < rounds; r++) {
    for (const [k, m] of [
      ['a', A],
      ['b', B],
    ] as const) {
      const out = join(cache, `store-${k}`);
      rmSync(out, { recursive: true, force: true });
      const x = runExtract(['--model', m.model, '--dataset', spec, '--out', out, '--threads', String(threads)]);
      runs[k].push({ wall: x.wall, cpu: x.cpu });
    }
  }
  const clips = await dumpClips();
  for (const [k, m] of [
    ['a', A],
    ['b', B],
  ] as const) {
    const w = runs[k].map((x) => x.wall);
    log(
      `  ${m.name.padEnd(26)} whole command: median ${median(w).toFixed(1)} s wall (min ${Math.min(...w).toFixed(1)}), ${(clips.audioSeconds / median(w)).toFixed(2)} audio-s/s; median CPU ${median(runs[k].map((x) => x.cpu)).toFixed(1)} s`,
    );
  }
  const ratioWall = median(runs.a.map((x) => x.wall)) / median(runs.b.map((x) => x.wall));
  const ratioCpu = median(runs.a.map((x) => x.cpu)) / median(runs.b.map((x) => x.cpu));
  log(`  ratio whole command export / built: ${ratioWall.toFixed(2)}x wall, ${ratioCpu.toFixed(2)}x CPU (goal >= 1.25x)`);
  const fwd = await alternatingForward(clips.parts, { a: A.model, b: B.model });
  log(
    `  forward alone, alternating clip by clip: export ${fwd.a.toFixed(1)} s, built ${fwd.b.toFixed(1)} s: ${(fwd.a / fwd.b).toFixed(2)}x`,
  );
  const diff = storeDiff(join(cache, 'store-b'), join(cache, 'store-a'), 13);
  log(
    `  features, built vs export, per layer max relative difference: ${diff.map((d) => d.toExponential(1)).join(' ')} (max ${Math.max(...diff).toExponential(2)})`,
  );
}

/** IMV-like short segments of the birds recordings: every clip is tiled to exactly 5000 samples. */
async function segmentsDataset(): Promise<{ spec: string; count: number }> {
  const ds = await loadDataset(spec, { cacheDir: cache });
  // the CSV sits in a folder of its own with the recordings linked in (dataset paths stay inside their folder)
  const dir = join(cache, 'segments');
  mkdirSync(dir, { recursive: true });
  const rows = ['path,label,start,end'];
  ds.items.forEach((it, i) => {
    const name = `${i}${extname(it.path)}`;
    if (!existsSync(join(dir, name))) symlinkSync(it.path, join(dir, name));
    for (let k = 0; k < 3; k++) rows.push(`${name},${it.label},${(0.3 * k).toFixed(2)},${(0.3 * k + 0.25).toFixed(2)}`);
  });
  const csv = join(dir, 'segments.csv');
  writeFileSync(csv, rows.join('\n') + '\n');
  return { spec: `csv:${csv}`, count: rows.length - 1 };
}

async function batchedVsPerClip(): Promise<void> {
  if (!existsSync(CKPT_ONNX) || !existsSync(CKPT)) {
    log('batching row skipped: run the built-vs-export row first (it makes the export)');
    return;
  }
  const seg = await segmentsDataset();
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  log(`\nequal-length batching: ${seg.count} segments of 0.25 s (tiled to 5000 samples), ${rounds} alternating rounds, threads ${threads}`);
  const variants = [
    { key: 'export-1', model: CKPT_ONNX, batch: '1', name: 'torch export, --batch 1' },
    { key: 'built-1', model: CKPT, batch: '1', name: 'built, --batch 1' },
    { key: 'export-16', model: CKPT_ONNX, batch: '16', name: 'torch export, --batch 16' },
    { key: 'built-16', model: CKPT, batch: '16', name: 'built, --batch 16' },
  ];
  for (const v of variants)
    runExtract([
      '--model',
      v.model,
      '--dataset',
      seg.spec,
      '--out',
      join(cache, `warm-${v.key}`),
      '--limit',
      '1',
      '--threads',
      String(threads),
    ]);
  const walls: Record<string, number[]> = {};
  const cpus: Record<string, number[]> = {};
  for (let r = 0; r < rounds; r++) {
    for (const v of variants) {
      const out = join(cache, `seg-${v.key}`);
      rmSync(out, { recursive: true, force: true });
      const run = runExtract(['--model', v.model, '--dataset', seg.spec, '--out', out, '--threads', String(threads), '--batch', v.batch]);
      (walls[v.key] ??= []).push(run.wall);
      (cpus[v.key] ??= []).push(run.cpu);
    }
  }
  for (const v of variants) {
    const b = (
      JSON.parse(readFileSync(join(cache, `seg-${v.key}`, 'manifest.json'), 'utf8')) as {
        run: {
          batching?: {
            max: number;
            state: string;
            batches: number;
            batchedClips: number;
            check?: { bitIdentical: boolean; maxRelDiff: number };
          };
        };
      }
    ).run.batching;
    const how =
      b && b.max > 1
        ? `; batching ${b.state}, ${b.batchedClips} clips in ${b.batches} batches, check ${b.check ? (b.check.bitIdentical ? 'bit-identical' : b.check.maxRelDiff.toExponential(1)) : 'none'}`
        : '';
    log(
      `  ${v.name.padEnd(26)} median ${median(walls[v.key]).toFixed(1)} s wall (min ${Math.min(...walls[v.key]).toFixed(1)}), median ${median(cpus[v.key]).toFixed(1)} s CPU (min ${Math.min(...cpus[v.key]).toFixed(1)})${how}`,
    );
  }
  const ratio = (t: Record<string, number[]>, a: string, b: string) => (median(t[a]) / median(t[b])).toFixed(2);
  for (const [what, t] of [
    ['wall', walls],
    ['CPU', cpus],
  ] as const) {
    log(
      `  batching speed-up (${what}, medians): export ${ratio(t, 'export-1', 'export-16')}x, built ${ratio(t, 'built-1', 'built-16')}x; built --batch 16 vs export --batch 1: ${ratio(t, 'export-1', 'built-16')}x`,
    );
  }
  for (const m of ['export', 'built']) {
    const same = storeDiff(join(cache, `seg-${m}-16`), join(cache, `seg-${m}-1`), 13);
    log(`  ${m}: batched vs one clip per pass, max relative difference over layers ${Math.max(...same).toExponential(1)}`);
  }
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  if (process.env.BENCH_ONLY === 'built' || process.env.BENCH_ONLY === 'batch') {
    build();
    if (process.env.BENCH_ONLY === 'built') await builtVsExport();
    else await batchedVsPerClip();
    rmSync(cache, { recursive: true, force: true });
    return;
  }
  ensureModel();
  build();
  log(`bench:extract  model ${MODEL}  dataset ${spec}  threads ${threads}`);
  runExtract(['--model', MODEL, '--dataset', spec, '--out', join(cache, 'warm'), '--limit', '1', '--threads', String(threads)]); // taps into the cache
  const clips = await dumpClips();
  const flops = clips.lengths.reduce((a, n) => a + hubertBaseFlops(n), 0);
  const out = join(cache, 'features');
  const whole = runExtract(['--model', MODEL, '--dataset', spec, '--out', out, '--threads', String(threads)]);
  const small = runExtract([
    '--model',
    MODEL,
    '--dataset',
    spec,
    '--out',
    join(cache, 'small'),
    '--limit',
    '10',
    '--threads',
    String(threads),
  ]);
  const wholeRate = clips.audioSeconds / whole.wall;
  log(`clips: ${clips.lengths.length} forward passes, ${clips.audioSeconds.toFixed(1)} s of audio, ${(flops / 1e9).toFixed(0)} GFLOP`);
  log(
    `whole command:     ${whole.wall.toFixed(1)} s wall  ${wholeRate.toFixed(2)} audio-s/s  peak RSS ${whole.rssMb.toFixed(0)} MB (10 clips: ${small.rssMb.toFixed(0)} MB)`,
  );
  log(`  ${whole.stdout}`);
  const modelSeconds = clips.lengths.reduce((a, n) => a + n, 0) / 16000;
  const toAudio = clips.audioSeconds / modelSeconds; // tiled clips feed 5000 samples: report per source second
  const budget = Number(process.env.BENCH_TORCH_BUDGET ?? 120);
  const ortAlone = await ortForward(clips.parts, budget);
  const ortRate = (ortAlone.samples / 16000 / ortAlone.seconds) * toAudio;
  log(
    `onnxruntime forward alone (in process): ${ortRate.toFixed(2)} audio-s/s; the whole command reaches ${((100 * wholeRate) / ortRate).toFixed(0)}% of it`,
  );
  let torchRate: number | undefined;
  try {
    const t = JSON.parse(
      execFileSync(PY, ['-c', TORCH_FORWARD, JSON.stringify({ bin: clips.bin, lengths: clips.lengths, threads, budget })], {
        encoding: 'utf8',
      }),
    ) as { seconds: number; samples: number; torch: string };
    torchRate = (t.samples / 16000 / t.seconds) * toAudio;
    log(
      `torchaudio ${t.torch} hubert_base forward alone: ${(t.samples / 16000).toFixed(1)} s of model input in ${t.seconds.toFixed(1)} s  ${torchRate.toFixed(2)} audio-s/s`,
    );
    log(`ratio whole command / torchaudio forward: ${(wholeRate / torchRate).toFixed(2)}x (target >= 2x)`);
  } catch (err) {
    log(`torchaudio timing skipped: ${(err as Error).message.split('\n')[0]}`);
  }
  try {
    const roof = await matmulRoofline();
    const achieved = flops / whole.wall / 1e9;
    log(
      `matmul roofline (onnxruntime MatMul 1024x768x3072, ${threads} threads): ${roof.toFixed(1)} GFLOP/s; whole command achieves ${achieved.toFixed(1)} GFLOP/s = ${((100 * achieved) / roof).toFixed(0)}% of it`,
    );
  } catch (err) {
    log(`roofline skipped: ${(err as Error).message.split('\n')[0]}`);
  }
  await builtVsExport();
  await batchedVsPerClip();
  rmSync(cache, { recursive: true, force: true });
}

main().catch((err) => {
  process.stderr.write(`bench:extract failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
});

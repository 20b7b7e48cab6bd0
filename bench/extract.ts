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
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openClips } from '../lib/audio/clips.js';
import { loadDataset } from '../lib/datasets/load.js';
import { clipChunks } from '../lib/features/clipSource.js';
import { openLayerModel } from '../lib/models/layerModel.js';

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
  for (const [k, s] of [[10, 5], [3, 2], [3, 2], [3, 2], [3, 2], [2, 2], [2, 2]]) {
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
  spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--outDir', DIST], { stdio: 'ignore' });
  if (!existsSync(join(DIST, 'cli', 'main.js'))) throw new Error('tsc emitted nothing into bench/out/dist');
}

function runExtract(args: string[]): { wall: number; rssMb: number; stdout: string } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, join(DIST, 'cli', 'main.js'), 'extract', ...args], {
    encoding: 'utf8', env: { ...process.env, BIOPROBE_CACHE: cache },
  });
  if (r.status !== 0) throw new Error(`extract failed: ${r.stderr}`);
  const [wall, rss] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { wall, rssMb: rss / 1024, stdout: r.stdout.trim() };
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
  const feeds = { A: new ort.Tensor('float32', Float32Array.from({ length: m * k }, (_, i) => Math.sin(i)), [m, k]) };
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

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  ensureModel();
  build();
  log(`bench:extract  model ${MODEL}  dataset ${spec}  threads ${threads}`);
  runExtract(['--model', MODEL, '--dataset', spec, '--out', join(cache, 'warm'), '--limit', '1', '--threads', String(threads)]); // taps into the cache
  const clips = await dumpClips();
  const flops = clips.lengths.reduce((a, n) => a + hubertBaseFlops(n), 0);
  const out = join(cache, 'features');
  const whole = runExtract(['--model', MODEL, '--dataset', spec, '--out', out, '--threads', String(threads)]);
  const small = runExtract(['--model', MODEL, '--dataset', spec, '--out', join(cache, 'small'), '--limit', '10', '--threads', String(threads)]);
  const wholeRate = clips.audioSeconds / whole.wall;
  log(`clips: ${clips.lengths.length} forward passes, ${clips.audioSeconds.toFixed(1)} s of audio, ${(flops / 1e9).toFixed(0)} GFLOP`);
  log(`whole command:     ${whole.wall.toFixed(1)} s wall  ${wholeRate.toFixed(2)} audio-s/s  peak RSS ${whole.rssMb.toFixed(0)} MB (10 clips: ${small.rssMb.toFixed(0)} MB)`);
  log(`  ${whole.stdout}`);
  const modelSeconds = clips.lengths.reduce((a, n) => a + n, 0) / 16000;
  const toAudio = clips.audioSeconds / modelSeconds; // tiled clips feed 5000 samples: report per source second
  const budget = Number(process.env.BENCH_TORCH_BUDGET ?? 120);
  const ortAlone = await ortForward(clips.parts, budget);
  const ortRate = (ortAlone.samples / 16000 / ortAlone.seconds) * toAudio;
  log(`onnxruntime forward alone (in process): ${ortRate.toFixed(2)} audio-s/s; the whole command reaches ${(100 * wholeRate / ortRate).toFixed(0)}% of it`);
  let torchRate: number | undefined;
  try {
    const t = JSON.parse(execFileSync(PY, ['-c', TORCH_FORWARD, JSON.stringify({ bin: clips.bin, lengths: clips.lengths, threads, budget })], { encoding: 'utf8' })) as { seconds: number; samples: number; torch: string };
    torchRate = (t.samples / 16000 / t.seconds) * toAudio;
    log(`torchaudio ${t.torch} hubert_base forward alone: ${(t.samples / 16000).toFixed(1)} s of model input in ${t.seconds.toFixed(1)} s  ${torchRate.toFixed(2)} audio-s/s`);
    log(`ratio whole command / torchaudio forward: ${(wholeRate / torchRate).toFixed(2)}x (target >= 2x)`);
  } catch (err) {
    log(`torchaudio timing skipped: ${(err as Error).message.split('\n')[0]}`);
  }
  try {
    const roof = await matmulRoofline();
    const achieved = flops / whole.wall / 1e9;
    log(`matmul roofline (onnxruntime MatMul 1024x768x3072, ${threads} threads): ${roof.toFixed(1)} GFLOP/s; whole command achieves ${achieved.toFixed(1)} GFLOP/s = ${(100 * achieved / roof).toFixed(0)}% of it`);
  } catch (err) {
    log(`roofline skipped: ${(err as Error).message.split('\n')[0]}`);
  }
  rmSync(cache, { recursive: true, force: true });
}

main().catch((err) => {
  process.stderr.write(`bench:extract failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
});

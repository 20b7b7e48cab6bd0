/**
 * bench:probe — the probe engine against the PyTorch reference (../shared/reference/torch_probe.py)
 * on the same synthetic features (class structure, 1536 dims) and the same thread count.
 *
 *   npm run bench:probe -- [--cases 10k,watkins,imv] [--layers 13] [--threads 1] [--torch-threads N]
 *                          [--epochs 30] [--stack N] [--reference-layers K] [--skip-reference] [--keep] [--dir /tmp/x]
 *                          [--weighted] [--skip-layers]
 *
 * --threads N is the thread count of both engines: bioprobe trains up to N stacks in parallel, one thread each
 * (plan.ts; --stack N passes its stack size), PyTorch gets OMP_NUM_THREADS=N. --torch-threads M gives
 * PyTorch M threads instead (e.g. each engine at its fastest: bioprobe on every core, Debian torch on 1).
 *
 * Cases: imv (72,920 clips, 11 classes), watkins (1,697, 32), 10k (10,000, 11). Both engines run the
 * paper protocol (30 epochs, early stopping) on the paper split with --select last. Each run is a child
 * process timed with /usr/bin/time (wall, user+sys CPU, peak RSS). --reference-layers K runs PyTorch on
 * the first K layers only and extrapolates its time to all layers (per-layer cost x layers; labelled).
 * GFLOP/s counts the probe's matmul FLOPs over the epochs each engine actually trained.
 * The machine may be shared: CPU seconds are the steadier comparison when others load it.
 * --weighted also runs the weighted probe (all layers, learned mix; lib/probe/weighted.ts) once on the
 * same features, seed and protocol, as a child process (bench/weightedRun.ts, via tsx) under the same
 * timer: one probe on all layers at once, on one onnxruntime thread whatever --threads says (weighted_*
 * columns; peak RSS shows its memory: every layer's standardised rows are held). --skip-layers skips the
 * `bioprobe probe` run (e.g. to measure the weighted probe's memory on the IMV-sized case alone).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeSyntheticFeatures } from '../lib/probe/synthetic.js';
import { CASES, DIM, SYNTHETIC, timed, type Timed } from './common.js';

const REFERENCE = '/work/shared/reference/torch_probe.py';

const { values: o } = parseArgs({
  options: {
    cases: { type: 'string', default: '10k,watkins' },
    layers: { type: 'string', default: '13' },
    threads: { type: 'string', default: '1' },
    'torch-threads': { type: 'string' },
    epochs: { type: 'string', default: '30' },
    'reference-layers': { type: 'string' },
    'skip-reference': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    dir: { type: 'string' },
    stack: { type: 'string' },
    weighted: { type: 'boolean', default: false },
    'skip-layers': { type: 'boolean', default: false },
  },
});
const L = Number(o.layers);
const threads = Number(o.threads);
const torchThreads = Number(o['torch-threads'] ?? o.threads);

/** Matmul FLOPs of one epoch of one probe: training (forward, backward without the input gradient) + validation forward. */
function epochFlops(ntr: number, nva: number, C: number): number {
  const fwd = 2 * (DIM * 128 + 128 * 64 + 64 * 32 + 32 * C);
  const bwd = 2 * fwd - 2 * DIM * 128;
  return ntr * (fwd + bwd) + nva * fwd;
}

const root = o.dir ?? mkdtempSync(join(tmpdir(), 'bioprobe-bench-probe-'));
const rows: Record<string, string | number>[] = [];
for (const name of o.cases!.split(',')) {
  const c = CASES[name];
  if (!c) throw new Error(`unknown case ${name}; cases: ${Object.keys(CASES).join(', ')}`);
  const dir = join(root, name);
  if (!existsSync(join(dir, 'manifest.json'))) {
    const t = Date.now();
    writeSyntheticFeatures(dir, { ...SYNTHETIC, n: c.n, classes: c.classes, layers: L });
    console.error(`${name}: wrote ${c.n} x ${DIM} x ${L} synthetic features in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  const ntr = Math.floor(0.7 * c.n);
  const nva = Math.floor(0.2 * c.n);
  const out = join(root, `${name}-results`);
  const row: Record<string, string | number> = {
    case: name,
    clips: c.n,
    classes: c.classes,
    layers: L,
    threads,
    torch_threads: torchThreads,
    load_avg_start: +loadavg()[0].toFixed(1),
  };
  let ours: Timed | undefined;
  if (!o['skip-layers']) {
    // bin/bioprobe.js runs the compiled CLI when dist/ is fresh (`npm run build`), else the sources via tsx
    ours = timed(process.execPath, [
      'bin/bioprobe.js',
      'probe',
      '--features',
      dir,
      '--out',
      out,
      '--threads',
      String(threads),
      '--select',
      'last',
      '--epochs',
      o.epochs!,
      '--quiet',
      '--memory',
      '16384',
      ...(o.stack ? ['--stack', o.stack] : []),
    ]);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      stacks: number[][];
      workers: number;
      threads_per_worker: number;
    };
    const res = readFileSync(join(out, 'results.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const test = res.filter((r) => r[4] === 'test');
    const ourEpochs = test.reduce((a, r) => a + Number(r[7]), 0);
    const ourUar = test.reduce((a, r) => a + Number(r[5]), 0) / test.length;
    Object.assign(row, {
      ours_layout: `${manifest.stacks.length} stacks of <= ${Math.max(...manifest.stacks.map((x) => x.length))} on ${manifest.workers} worker(s) x ${manifest.threads_per_worker} thread(s)`,
      ours_wall_s: ours.wall,
      ours_cpu_s: ours.cpu,
      ours_rss_mb: Math.round(ours.rssMB),
      ours_epochs: ourEpochs,
      ours_gflops: +((epochFlops(ntr, nva, c.classes) * ourEpochs) / ours.wall / 1e9).toFixed(1),
      ours_mean_test_uar: +ourUar.toFixed(4),
    });
    console.error(`${name}: bioprobe ${ours.wall.toFixed(1)} s wall, ${ours.cpu.toFixed(1)} s CPU, mean test UAR ${ourUar.toFixed(4)}`);
  }
  if (o.weighted) {
    const wout = join(root, `${name}-weighted`);
    rmSync(wout, { recursive: true, force: true });
    const w = timed(process.execPath, [
      '--import',
      'tsx',
      'bench/weightedRun.ts',
      '--features',
      dir,
      '--out',
      wout,
      '--epochs',
      o.epochs!,
      '--select',
      'last',
    ]);
    const r = JSON.parse(w.stdout.trim().split('\n').pop()!) as {
      seconds: number;
      train_seconds: number;
      epochs: number;
      test_uar: number;
      weights: number[];
      feature_bytes: number;
    };
    Object.assign(row, {
      weighted_wall_s: w.wall,
      weighted_cpu_s: +w.cpu.toFixed(1),
      weighted_rss_mb: Math.round(w.rssMB),
      weighted_train_s: +r.train_seconds.toFixed(1),
      weighted_feature_mb: Math.round(r.feature_bytes / 2 ** 20),
      weighted_epochs: r.epochs,
      weighted_test_uar: +r.test_uar.toFixed(4),
      weighted_weights: r.weights.map((x) => x.toFixed(3)).join(' '),
      ...(ours
        ? { weighted_vs_layers_wall: +(w.wall / ours.wall).toFixed(3), weighted_vs_layers_cpu: +(w.cpu / ours.cpu).toFixed(3) }
        : {}),
    });
    console.error(
      `${name}: weighted probe ${w.wall.toFixed(1)} s wall, ${w.cpu.toFixed(1)} s CPU, ${Math.round(w.rssMB)} MB peak RSS, test UAR ${r.test_uar.toFixed(4)}`,
    );
  }
  if (!o['skip-reference']) {
    const K = Math.min(L, Number(o['reference-layers'] ?? L));
    const layers = Array.from({ length: K }, (_, l) => l).join(',');
    const ref = timed('/usr/bin/python3', [REFERENCE, join(dir, 'layer_%02d.npy'), join(dir, 'labels.csv'), '-', '12345', layers], {
      OMP_NUM_THREADS: String(torchThreads),
      MKL_NUM_THREADS: String(torchThreads),
    });
    const lines = ref.stdout.split('\n').filter((l) => l.startsWith('layer'));
    const refEpochs = lines.reduce((a, l) => a + Number(/epochs (\d+)/.exec(l)![1]), 0);
    const refUar = lines.reduce((a, l) => a + Number(/test_uar ([\d.]+)/.exec(l)![1]), 0) / lines.length;
    const scale = L / K;
    Object.assign(row, {
      torch_layers_run: K,
      torch_wall_s: +(ref.wall * scale).toFixed(1),
      torch_cpu_s: +(ref.cpu * scale).toFixed(1),
      torch_rss_mb: Math.round(ref.rssMB),
      torch_epochs: refEpochs,
      torch_gflops: +((epochFlops(ntr, nva, c.classes) * refEpochs) / ref.wall / 1e9).toFixed(1),
      torch_mean_test_uar: +refUar.toFixed(4),
      extrapolated: K < L ? `x${scale.toFixed(2)} from ${K} layers` : 'no',
      ...(ours
        ? {
            speedup_wall: +((ref.wall * scale) / ours.wall).toFixed(2),
            speedup_cpu: +((ref.cpu * scale) / ours.cpu).toFixed(2),
            speedup_per_epoch_cpu: +(ref.cpu / refEpochs / (ours.cpu / Number(row.ours_epochs))).toFixed(2),
          }
        : {}),
    });
    console.error(
      `${name}: torch ${ref.wall.toFixed(1)} s wall, ${ref.cpu.toFixed(1)} s CPU on ${K} layer(s), mean test UAR ${refUar.toFixed(4)}`,
    );
  }
  row.load_avg_end = +loadavg()[0].toFixed(1);
  rows.push(row);
}
console.log(JSON.stringify(rows, null, 2));
if (!o.keep && !o.dir) rmSync(root, { recursive: true, force: true });

/**
 * bench:cka — layer similarity (linear CKA) at IMV size: 72,920 clips, 7 models x 13 layers x 1536 dims.
 *
 *   npm run bench:cka -- [--threads 2] [--n 72920] [--models 7] [--layers 13] [--dim 1536] [--rank 64]
 *                        [--iterations 4] [--mode auto|exact|lowrank] [--bound gram|trace]
 *                        [--block-rows 8192] [--check-pairs 4]
 *                        [--gemm-only] [--out FILE]
 *   npm run bench:cka -- --real <features-dir>,<features-dir>... [--ranks 8,16,32,64] [--threads 2]
 *   npm run bench:cka -- --write DIR [--models 1] ...   the synthetic features written as features folders under DIR
 *                        first, their page cache dropped (dd iflag=nocache), and the run reading them from disk
 *
 * 1. The machine's GEMM rate through onnxruntime MatMul (float32 and float64, [1536 x 8192] x [8192 x 1536],
 *    1 and `--threads` intra-op threads).
 * 2. `layerSimilarity` in the mode `auto` picks at this size (low-rank), on synthetic features generated on
 *    demand (bench/ckaSynthetic.ts: 41 GB would not fit this machine's disk beside everyone else's work);
 *    generation time is measured and reported apart. Wall and CPU seconds, peak RSS, multiply-adds,
 *    the recorded bound and the per-layer residuals.
 * 3. `--check-pairs K`: the exact CKA (float64, feature space) of K layer pairs at full size, against the
 *    low-rank values and intervals (each pair costs 3 n p² multiply-adds in float64).
 * The estimated time of the exact mode at this size is the issued multiply-adds over the measured rate.
 * `--real DIRS`: instead, real features folders: the exact CKA against the low-rank mode at each of
 * `--ranks` (recorded bound, actual errors, values outside their interval).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, fsyncSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import {
  ckaMatrix,
  layerSimilarity,
  lowRankCost,
  openFeatureFolder,
  type LayerSimilarity,
  type LayerSource,
} from '../lib/analysis/index.js';
import { layerFileName } from '../lib/features/manifest.js';
import { npyHeader } from '../lib/util/npy.js';
import { exactCosts } from '../lib/analysis/exact.js';
import { GraphBuilder } from '../lib/onnx/builder.js';
import { createSession } from '../lib/runtime/session.js';
import { SyntheticFeatures } from './ckaSynthetic.js';

const { values: o } = parseArgs({
  options: {
    threads: { type: 'string', default: '2' },
    n: { type: 'string', default: '72920' },
    models: { type: 'string', default: '7' },
    layers: { type: 'string', default: '13' },
    dim: { type: 'string', default: '1536' },
    rank: { type: 'string', default: '64' },
    iterations: { type: 'string', default: '4' },
    'check-pairs': { type: 'string', default: '0' },
    mode: { type: 'string', default: 'auto' },
    bound: { type: 'string', default: 'gram' },
    'block-rows': { type: 'string', default: '8192' },
    real: { type: 'string' },
    write: { type: 'string' },
    ranks: { type: 'string', default: '8,16,32,64' },
    'gemm-only': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const threads = Number(o.threads);
const n = Number(o.n);
const M = Number(o.models);
const L = Number(o.layers);
const p = Number(o.dim);

/** GMAC/s of one [m x k] x [k x m] MatMul (A given transposed, as the Gram products use it). */
async function gemmRate(dtype: 'float32' | 'float64', th: number, m = 1536, k = 8192): Promise<number> {
  const g = new GraphBuilder(dtype);
  g.input('a', dtype, [k, m]);
  g.input('b', dtype, [k, m]);
  g.output(g.matmul(g.op('Transpose', ['a'], { perm: { ints: [1, 0] } }), 'b'), 'c', dtype, [m, m]);
  const s = await createSession(g.model('gemm'), { threads: th });
  const data =
    dtype === 'float32'
      ? new Float32Array(k * m).map((_, i) => ((i * 7919) % 1000) / 1000 - 0.5)
      : new Float64Array(k * m).map((_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const t = new ort.Tensor(dtype, data, [k, m]);
  await s.run({ a: t, b: t });
  let best = Infinity;
  for (let r = 0; r < 4; r++) {
    const t0 = performance.now();
    await s.run({ a: t, b: t });
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  await s.release();
  return (m * k * m) / best / 1e9;
}

/** Write the sources as features folders under `root` (manifest, clips.csv, layer files), then drop their page cache. */
async function writeFolders(root: string, sources: LayerSource[]): Promise<string[]> {
  const t0 = performance.now();
  const dirs: string[] = [];
  for (const src of sources) {
    const dir = join(root, src.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({
        format: 'bioprobe.features/1',
        model: src.name,
        dataset: 'synthetic-imv',
        layers: src.layers,
        dim: src.dim,
        count: src.rows,
      }) + '\n',
    );
    let csv = 'index,path,label,start,end,status\n';
    for (let i = 0; i < src.rows; i++) csv += `${i},clip${i}.wav,c${i % 11},,,ok\n`;
    writeFileSync(join(dir, 'clips.csv'), csv);
    const block = 8192;
    const buf = new Float32Array(block * src.dim);
    for (let l = 0; l < src.layers; l++) {
      const file = join(dir, layerFileName(l));
      const fd = openSync(file, 'w');
      writeSync(fd, npyHeader([src.rows, src.dim]));
      for (let i = 0; i < src.rows; i += block) {
        const e = Math.min(src.rows, i + block);
        await src.read(l, i, e, buf);
        writeSync(fd, new Uint8Array(buf.buffer, 0, (e - i) * src.dim * 4));
      }
      fsyncSync(fd);
      closeSync(fd);
      spawnSync('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none']);
    }
    dirs.push(dir);
  }
  console.log(
    `wrote ${sources.length} features folders under ${root} in ${((performance.now() - t0) / 1000).toFixed(0)} s; page cache dropped`,
  );
  return dirs;
}

function rssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Low-rank against exact on real features folders. */
async function real(dirs: string[]): Promise<void> {
  const features = dirs.map((dir) => ({ dir }));
  const t0 = performance.now();
  const exact = await layerSimilarity({ features, mode: 'exact', threads });
  console.log(
    `exact (${exact.method}): ${exact.models.map((m) => `${m.name} ${m.layers.length} x ${m.dim}`).join(', ')}; ${exact.clips.used} clips; ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  console.log(
    '| bound | rank | recorded bound (max) | actual error max / median | outside interval | ||K-K̂||/||K|| bound, median / max | residual variance, median | time |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const bound of ['gram', 'trace'] as const)
    for (const rank of o.ranks!.split(',').map(Number)) {
      const t1 = performance.now();
      const lr = await layerSimilarity({ features, mode: 'lowrank', rank, threads, bound });
      const errs: number[] = [];
      let outside = 0;
      for (const pr of lr.pairs) {
        const e = ckaMatrix(exact, pr.a, pr.b);
        for (let t = 0; t < pr.cka.length; t++) {
          if (pr.a === pr.b && Math.floor(t / pr.cols) >= t % pr.cols) continue;
          errs.push(Math.abs(pr.cka[t] - e.cka[t]));
          if (e.cka[t] < pr.lower![t] || e.cka[t] > pr.upper![t]) outside++;
        }
      }
      errs.sort((a, b) => a - b);
      const res = lr.lowrank!.layers.map((l) => l.residualNorm).sort((a, b) => a - b);
      const rv = lr.lowrank!.layers.map((l) => l.residualVariance).sort((a, b) => a - b);
      console.log(
        `| ${bound} | ${rank} | ${lr.lowrank!.maxError.toFixed(4)} | ${errs[errs.length - 1].toExponential(2)} / ${errs[errs.length >> 1].toExponential(2)} | ${outside} of ${errs.length} | ${res[res.length >> 1].toFixed(4)} / ${res[res.length - 1].toFixed(4)} | ${rv[rv.length >> 1].toFixed(3)} | ${((performance.now() - t1) / 1000).toFixed(1)} s |`,
      );
    }
}

async function main(): Promise<void> {
  if (o.real) return real(o.real.split(','));
  console.log(
    `# bench:cka  ${new Date().toISOString()}  load average ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  const rates: Record<string, number> = {};
  for (const dtype of ['float32', 'float64'] as const) {
    for (const th of [...new Set([1, threads])]) {
      rates[`${dtype}x${th}`] = await gemmRate(dtype, th);
      console.log(
        `GEMM ${dtype}, ${th} thread(s): ${rates[`${dtype}x${th}`].toFixed(1)} GMAC/s (best of 4, [1536 x 8192]ᵀ x [8192 x 1536])`,
      );
    }
  }
  if (o['gemm-only']) return;

  const dims = Array.from({ length: M * L }, () => p);
  const exact = exactCosts(n, dims);
  const low = lowRankCost(n, dims, Number(o.rank), o.bound as 'gram' | 'trace');
  console.log(
    `\n${M} models x ${L} layers x ${p} dims, ${n} clips: exact ${exact.featureSpace.toExponential(2)} MACs (feature space; sample space would hold ${(exact.sampleSpaceBytes / 2 ** 30).toFixed(0)} GiB),` +
      ` low-rank ${low.toExponential(2)} MACs (rank ${o.rank}, ${o.bound} bound)`,
  );
  console.log(
    `exact at the measured float64 rate: ${(exact.featureSpace / (rates[`float64x${threads}`] * 1e9) / 3600).toFixed(1)} h; at the float32 rate: ${(exact.featureSpace / (rates[`float32x${threads}`] * 1e9) / 3600).toFixed(1)} h`,
  );

  const synth = new SyntheticFeatures({ n, models: M, layers: L, dim: p, seed: 1 });
  let sources: LayerSource[] = Array.from({ length: M }, (_, m) => synth.source(m));
  if (o.write) {
    const dirs = await writeFolders(o.write, sources);
    synth.genSeconds = 0;
    synth.genCpuSeconds = 0;
    sources = dirs.map((dir, m) => openFeatureFolder(dir, sources[m].name));
  }
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let last = t0;
  const res: LayerSimilarity = await layerSimilarity({
    features: sources,
    mode: o.mode as 'auto' | 'exact' | 'lowrank',
    bound: o.bound as 'gram' | 'trace',
    threads,
    rank: Number(o.rank),
    iterations: Number(o.iterations),
    memoryMiB: 8192,
    blockRows: Number(o['block-rows']),
    onProgress: (msg) => {
      const now = performance.now();
      if (now - last > 15000 || msg.includes('done')) {
        console.log(`  ${((now - t0) / 1000).toFixed(0)} s: ${msg}`);
        last = now;
      }
    },
  });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const lr = res.lowrank;
  const resid = lr ? lr.layers.map((l) => l.residualNorm).sort((a, b) => a - b) : [];
  const varRes = lr ? lr.layers.map((l) => l.residualVariance).sort((a, b) => a - b) : [];
  const summary = {
    date: new Date().toISOString(),
    load: loadavg(),
    threads,
    n,
    models: M,
    layers: L,
    dim: p,
    rank: Number(o.rank),
    iterations: Number(o.iterations),
    rates,
    mode: res.mode,
    method: res.method,
    bound: res.lowrank?.bound,
    blockRows: Number(o['block-rows']),
    wallSeconds: wall,
    generationSeconds: synth.genSeconds,
    ckaSeconds: wall - synth.genSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    generationCpuSeconds: synth.genCpuSeconds,
    ckaCpuSeconds: (cpu.user + cpu.system) / 1e6 - synth.genCpuSeconds,
    peakRssMB: rssMB(),
    macs: res.cost.macs,
    effectiveGmacs: res.cost.macs / (wall - synth.genSeconds) / 1e9,
    maxError: lr?.maxError,
    consistency: lr?.consistency,
    residualNorm: lr ? { min: resid[0], median: resid[resid.length >> 1], max: resid[resid.length - 1] } : undefined,
    residualVariance: lr ? { min: varRes[0], median: varRes[varRes.length >> 1], max: varRes[varRes.length - 1] } : undefined,
    checks: [] as {
      a: string;
      la: number;
      b: string;
      lb: number;
      exact: number;
      value: number;
      lower: number;
      upper: number;
      error: number;
      seconds: number;
    }[],
  };
  console.log(
    `\n${res.mode} (${res.method}${lr ? `, ${lr.bound} bound` : ''}): ${wall.toFixed(1)} s wall, of which generating features ${synth.genSeconds.toFixed(1)} s -> CKA ${summary.ckaSeconds.toFixed(1)} s;` +
      ` CPU ${summary.cpuSeconds.toFixed(1)} s (generating ${synth.genCpuSeconds.toFixed(1)} s -> CKA ${summary.ckaCpuSeconds.toFixed(1)} s); load average ${loadavg()
        .map((v) => v.toFixed(1))
        .join(
          ' ',
        )}; peak RSS ${summary.peakRssMB.toFixed(0)} MB; ${res.cost.macs.toExponential(2)} MACs issued (${summary.effectiveGmacs.toFixed(1)} GMAC/s over the CKA time)`,
  );
  if (lr) {
    console.log(
      `recorded worst-case error ${lr.maxError.toFixed(4)}; ||K-K̂||/||K|| per layer min/median/max ${summary.residualNorm!.min.toFixed(4)}/${summary.residualNorm!.median.toFixed(4)}/${summary.residualNorm!.max.toFixed(4)};` +
        ` residual variance ${summary.residualVariance!.min.toFixed(3)}/${summary.residualVariance!.median.toFixed(3)}/${summary.residualVariance!.max.toFixed(3)}; consistency ${lr.consistency.toExponential(2)}`,
    );
  }

  const K = Number(o['check-pairs']);
  const mid = L >> 1;
  const m1 = Math.min(1, M - 1);
  const m2 = Math.min(2, M - 1);
  const picks: [number, number, number, number][] = (
    [
      [0, 0, 0, Math.min(1, L - 1)],
      [0, mid, m1, mid],
      [0, L - 1, M - 1, L - 1],
      [m1, L >> 2, m2, (3 * L) >> 2],
      [0, 0, 0, L - 1],
      [m2, mid, Math.min(3, M - 1), mid],
    ] as [number, number, number, number][]
  ).slice(0, K);
  for (const [ma, la, mb, lb] of picks) {
    const t1 = performance.now();
    const ex = await layerSimilarity({
      features: ma === mb ? [sources[ma]] : [sources[ma], sources[mb]],
      mode: 'exact',
      exactMethod: 'feature-space',
      threads,
      memoryMiB: 2048,
      layers: ma === mb ? { [sources[ma].name]: [la, lb] } : { [sources[ma].name]: [la], [sources[mb].name]: [lb] },
    });
    const e = ma === mb ? ex.pairs[0].cka[1] : ckaMatrix(ex, sources[ma].name, sources[mb].name).cka[0];
    const pr = ckaMatrix(res, sources[ma].name, sources[mb].name);
    const t = la * pr.cols + lb;
    const row = {
      a: sources[ma].name,
      la,
      b: sources[mb].name,
      lb,
      exact: e,
      value: pr.cka[t],
      lower: pr.lower?.[t] ?? NaN,
      upper: pr.upper?.[t] ?? NaN,
      error: Math.abs(pr.cka[t] - e),
      seconds: (performance.now() - t1) / 1000,
    };
    summary.checks.push(row);
    console.log(
      `check ${row.a}/${la} vs ${row.b}/${lb}: exact ${e.toFixed(6)}, reported ${row.value.toFixed(6)} in [${row.lower.toFixed(4)}, ${row.upper.toFixed(4)}], error ${row.error.toExponential(2)} (${row.seconds.toFixed(0)} s)` +
        (e < row.lower || e > row.upper ? '  OUTSIDE THE INTERVAL' : ''),
    );
  }
  synth.release();
  const out = o.out ?? join('bench', 'out', `cka-${summary.date.replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(summary, null, 1) + '\n');
  console.log(`\nwrote ${out}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

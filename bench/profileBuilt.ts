/**
 * `npm run bench:profile-built`: where a built graph's forward pass spends its time, per onnxruntime op
 * type (onnxruntime's own profiler, steady state: the first 2 of 6 runs are dropped), for one clip of
 * random samples. Default model: the AVES-style torchaudio HuBERT-base pair of bench:extract
 * (.cache/checkpoints/ta_hubert_base_full, `/usr/bin/python3 tools/make_checkpoints_torchaudio.py --full`).
 * Env: PROFILE_CHECKPOINT (another checkpoint), PROFILE_SAMPLES (default 23000: 1.44 s, 71 frames),
 * BENCH_THREADS (default 1), PROFILE_FUSION=plain|skip (the standard-op graph, or the default plus
 * SkipLayerNormalization, for comparison).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildModel } from '../lib/models/build/build.js';
import { FUSED, PLAIN } from '../lib/models/build/emit.js';

interface Event {
  cat?: string;
  name: string;
  ts: number;
  dur: number;
  args?: { op_name?: string };
}

const checkpoint = resolve(process.env.PROFILE_CHECKPOINT ?? '.cache/checkpoints/ta_hubert_base_full');
const samples = Number(process.env.PROFILE_SAMPLES ?? 23000);
const threads = Number(process.env.BENCH_THREADS ?? 1);
const fusion =
  process.env.PROFILE_FUSION === 'plain' ? PLAIN : process.env.PROFILE_FUSION === 'skip' ? { ...FUSED, skipLayerNorm: true } : FUSED;
const work = mkdtempSync(join(tmpdir(), 'bioprobe-profile-'));
try {
  const built = await buildModel(checkpoint, { cacheDir: join(resolve('.cache'), 'profile'), fusion });
  const session = await ort.InferenceSession.create(built.path, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    enableProfiling: true,
    profileFilePrefix: join(work, 'ort'),
  });
  let s = 7;
  const x = Float32Array.from({ length: samples }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
  for (let i = 0; i < 6; i++) await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, [1, samples]) });
  session.endProfiling();
  await session.release();
  const file = readdirSync(work).find((f) => f.endsWith('.json'))!;
  const events = JSON.parse(readFileSync(join(work, file), 'utf8')) as Event[];
  const runs = events.filter((e) => e.name === 'model_run').slice(2);
  const byOp = new Map<string, number>();
  for (const r of runs) {
    for (const e of events) {
      if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || e.ts < r.ts || e.ts > r.ts + r.dur) continue;
      const op = e.args?.op_name ?? '?';
      byOp.set(op, (byOp.get(op) ?? 0) + e.dur);
    }
  }
  const total = [...byOp.values()].reduce((a, b) => a + b, 0);
  const ms = (us: number) => (us / runs.length / 1000).toFixed(2);
  process.stdout.write(
    `bench:profile-built  ${checkpoint}, builder v${built.builder.version}, fusion ${JSON.stringify(fusion)}\n` +
      `${samples} samples, ${threads} thread(s); model runs 3-6: ${runs.map((r) => (r.dur / 1000).toFixed(1)).join(', ')} ms\n\n` +
      '| op | ms per run | share |\n|---|---|---|\n',
  );
  for (const [op, us] of [...byOp].sort((a, b) => b[1] - a[1])) {
    process.stdout.write(`| ${op} | ${ms(us)} | ${((100 * us) / total).toFixed(1)} % |\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

/**
 * `npm run bench:fusion`: which onnxruntime contrib ops the checkpoint builder may use. For each fused
 * operator alone, none (standard ONNX ops only) and all of them, the built graph of full-size random-init
 * WavLM-base and wav2vec 2.0-base + CTC (transformers, from tools/checkpoint_parity.py make) is run on
 * real recordings and compared frame by frame with transformers' hidden states on every layer: max
 * absolute error, and max |ours - ref| / max |ref| per layer and clip. Keep an op only if it holds ~1e-6.
 * Env: ABLATION_CLIPS (default 4), BENCH_THREADS (default 1).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openClips } from '../lib/audio/clips.js';
import { loadDataset } from '../lib/datasets/load.js';
import { clipChunks } from '../lib/features/clipSource.js';
import { buildModel } from '../lib/models/build/build.js';
import { FUSED, PLAIN, type Fusion } from '../lib/models/build/emit.js';
import { openLayerModel } from '../lib/models/layerModel.js';
import { readNpy } from '../lib/util/npy.js';

const ROOT = resolve('.');
const work = mkdtempSync(join(tmpdir(), 'bioprobe-fusion-'));
const cacheDir = join(work, 'cache');
const count = Number(process.env.ABLATION_CLIPS ?? 4);
const threads = Number(process.env.BENCH_THREADS ?? 1);
const VARIANTS: Record<string, Fusion> = {
  'plain ONNX ops': PLAIN,
  'Attention only': { ...PLAIN, attention: true },
  'SkipLayerNormalization only': { ...PLAIN, skipLayerNorm: true },
  'Gelu/BiasGelu only': { ...PLAIN, gelu: true },
  'all four': { attention: true, skipLayerNorm: true, gelu: true },
  'the default (all but SkipLayerNormalization, for speed)': FUSED,
};

async function main(): Promise<void> {
  const ds = await loadDataset(`csv:${resolve('../shared/data/birds/labels.csv')}`, { cacheDir });
  const parts: Float32Array[] = [];
  for await (const r of openClips(ds.items.filter((_, i) => i % Math.floor(ds.items.length / count) === 0).slice(0, count), {})) {
    if (!r.error) parts.push(clipChunks(r.clip)[0]);
  }
  writeFileSync(join(work, 'clips.f32'), Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))));
  writeFileSync(join(work, 'lengths.json'), JSON.stringify(parts.map((p) => p.length)));
  process.stdout.write(
    `bench:fusion  ${parts.length} clips of ../shared/data/birds (${parts.map((p) => (p.length / 16000).toFixed(1)).join(', ')} s), threads ${threads}\n`,
  );
  process.stdout.write('\n| model | graph | max abs error | max rel error (per layer and clip) | worst layer |\n|---|---|---|---|---|\n');
  for (const name of ['wavlm_base', 'w2v2_base_ctc']) {
    const dir = join(ROOT, '.cache', 'parity', name, 'safetensors');
    execFileSync(
      '/work/venv/bin/python',
      ['tools/checkpoint_parity.py', 'hidden', dir, join(work, 'clips.f32'), join(work, 'lengths.json'), join(work, name)],
      { stdio: 'ignore' },
    );
    for (const [label, fusion] of Object.entries(VARIANTS)) {
      const b = await buildModel(dir, { cacheDir, fusion });
      const m = await openLayerModel(b.path, { cacheDir, session: { threads } });
      let abs = 0;
      let rel = 0;
      let worst = 0;
      for (let k = 0; k < parts.length; k++) {
        const ref = readNpy(join(work, `${name}.${k}.npy`));
        const size = ref.shape[1] * ref.shape[2];
        const s = await m.embed(parts[k]);
        s.layers.forEach((got, l) => {
          const r = ref.data.subarray(l * size, (l + 1) * size);
          let a = 0;
          let den = 0;
          for (let i = 0; i < r.length; i++) {
            a = Math.max(a, Math.abs(got[i] - r[i]));
            den = Math.max(den, Math.abs(r[i]));
          }
          abs = Math.max(abs, a);
          if (a / den > rel) [rel, worst] = [a / den, l];
        });
      }
      await m.dispose();
      process.stdout.write(`| ${name} | ${label} | ${abs.toExponential(2)} | ${rel.toExponential(2)} | ${worst} |\n`);
    }
  }
}

main().then(
  () => rmSync(work, { recursive: true, force: true }),
  (err) => {
    process.stderr.write(`bench:fusion failed: ${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);

/**
 * `bioprobe models list | pull <id> | inspect <file.onnx> | randomize <file|id> | check <file|id>`: the zoo,
 * offline-first downloads, what a file holds, the random-weights control, and the batch-invariance report.
 */
import type { Command } from 'commander';
import { UsageError } from '../util/errors.js';
import { defaultCacheDir } from '../util/cache.js';
import { LAYER0_TAPS, type Layer0Tap } from '../models/detect.js';
import { parseChoice, parseInteger, parseOptionalInteger } from '../util/options.js';
import { formatInspection, inspectModel } from '../models/inspect.js';
import { pullModel, readPullRecord } from '../models/pull.js';
import { randomizeWeights } from '../models/randomize.js';
import { tapModel } from '../models/tap.js';
import { zoo } from '../models/zoo.js';
import { checkBatching, formatBatchCheck, resolveModel } from '../features/index.js';

function progress(): ((done: number, total: number | undefined) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (now - last < 250) return;
    last = now;
    const mb = (n: number) => (n / 2 ** 20).toFixed(1);
    process.stderr.write(`\r${mb(done)}${total ? ` / ${mb(total)}` : ''} MiB`);
  };
}

/** Adds `bioprobe models` to the program. */
export function registerModels(program: Command): void {
  const models = program.command('models').description('the model zoo, downloads and ONNX inspection');
  models
    .command('list')
    .description("the paper's seven models: source, layers, width, layer-0 tap, local copy")
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) => {
      const cacheDir = defaultCacheDir(process.env);
      const rows = zoo.list().map((e) => ({ ...e, pulled: readPullRecord(e.id, cacheDir)?.path }));
      if (o.json) {
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        return;
      }
      for (const e of rows) {
        const src = e.onnx ? (e.onnx.kind === 'hf' ? `${e.onnx.repo}/${e.onnx.file}` : e.onnx.url) : 'no public ONNX export (see docs/MODELS.md)';
        process.stdout.write(`${e.id.padEnd(16)} ${e.type.padEnd(6)} ${e.layers} x ${e.dim}  layer0=${e.layer0.padEnd(13)} ${(e.params / 1e6).toFixed(1)} M  ${e.checkpoint}\n` +
          `${''.padEnd(16)} onnx: ${src}${e.pulled ? `\n${''.padEnd(16)} local: ${e.pulled}` : ''}\n`);
      }
    });
  models
    .command('pull <id>')
    .description('download a zoo model (full precision unless --variant), or find it in the caches')
    .option('--variant <name>', 'a published variant instead of full precision (e.g. quantized, fp16)')
    .option('--offline', 'only look in the caches')
    .option('--tap', 'also tap it now (rewritten graph cached under $BIOPROBE_CACHE)')
    .action(async (id: string, o: { variant?: string; offline?: boolean; tap?: boolean }) => {
      const cacheDir = defaultCacheDir(process.env);
      const pulled = await pullModel(id, { variant: o.variant, offline: o.offline, cacheDir, onProgress: progress() });
      if (process.stderr.isTTY) process.stderr.write('\n');
      process.stdout.write(`${pulled.id} (${pulled.variant === 'default' ? 'full precision' : pulled.variant}, ${pulled.origin}): ${pulled.path}\nsha256 ${pulled.sha256}\n`);
      if (o.tap) {
        const entry = zoo.get(id);
        const t = await tapModel(pulled.path, { layer0: entry.layer0, cacheDir, expectLayers: entry.layers });
        process.stdout.write(`tapped: ${t.layers} layers x ${t.dim}, layer 0 = ${t.layer0}: ${t.path}\n`);
      }
    });
  models
    .command('inspect <file>')
    .description('inputs, outputs, parameter count and the layers bioprobe would tap')
    .option('--json', 'print JSON')
    .option('--tap [layer0]', `also tap and run it once to verify shapes (layer 0: ${LAYER0_TAPS.join(' | ')})`)
    .action(async (file: string, o: { json?: boolean; tap?: string | boolean }) => {
      const r = inspectModel(file);
      let tapped;
      if (o.tap) {
        const layer0 = (typeof o.tap === 'string' ? o.tap : 'encoder-input') as Layer0Tap;
        parseChoice('--tap', layer0, LAYER0_TAPS);
        tapped = await tapModel(file, { layer0, cacheDir: defaultCacheDir(process.env) });
      }
      if (o.json) {
        process.stdout.write(JSON.stringify(tapped ? { ...r, tapped } : r, null, 2) + '\n');
        return;
      }
      const lines = formatInspection(r);
      if (tapped) lines.push(`tapped      ${tapped.layers} outputs layer_00..layer_${String(tapped.layers - 1).padStart(2, '0')} of [1, frames, ${tapped.dim}] verified: ${tapped.path}`);
      process.stdout.write(lines.join('\n') + '\n');
    });
  models
    .command('randomize <model>')
    .description('the random-weights control: a copy of an ONNX file (or pulled zoo model) with each weight tensor shuffled')
    .option('--seed <n>', 'permutation seed', '0')
    .action(async (model: string, o: { seed: string }) => {
      const cacheDir = defaultCacheDir(process.env);
      const file = zoo.has(model) ? (await pullModel(model, { cacheDir, offline: true })).path : model;
      const seed = parseInteger('--seed', o.seed);
      const r = await randomizeWeights(file, { seed, cacheDir });
      process.stdout.write(`${r.shuffled} weight tensors shuffled (seed ${r.seed})${r.skipped.length ? `, ${r.skipped.length} left (external data)` : ''}: ${r.path}\n`);
    });
  models
    .command('check <model>')
    .description('batch invariance, per layer: how far a clip\'s pooled features move when tiled to a longer neighbour (the paper\'s batching), zero-padded, or batched with equal-length clips')
    .option('--layer0 <tap>', `layer 0: ${LAYER0_TAPS.join(' | ')}`)
    .option('--threads <n>', 'onnxruntime intra-op threads')
    .action(async (model: string, o: { layer0?: string; threads?: string }) => {
      const layer0 = o.layer0 === undefined ? undefined : parseChoice('--layer0', o.layer0, LAYER0_TAPS);
      const threads = parseOptionalInteger('--threads', o.threads, { min: 1 });
      const m = await resolveModel(model, { layer0, threads, device: 'cpu' });
      process.stdout.write(formatBatchCheck(await checkBatching(m.spec)) + '\n');
    });
}

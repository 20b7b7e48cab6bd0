/**
 * `bioprobe models list | pull <id|org/name> | import <checkpoint> | inspect <file|checkpoint> |
 * randomize <model> | check <model>`: the zoo, offline-first downloads of checkpoints (and public ONNX
 * exports), building a checkpoint's every-layer graph, what a file holds, the random-weights control,
 * and the batch-invariance report.
 */
import { copyFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../util/errors.js';
import { defaultCacheDir } from '../util/cache.js';
import { LAYER0_TAPS, type Layer0Tap } from '../models/detect.js';
import { parseChoice, parseInteger, parseOptionalInteger } from '../util/options.js';
import { formatInspection, inspectModel } from '../models/inspect.js';
import { pullModel, readPullRecord } from '../models/pull.js';
import { pullCheckpoint, readCheckpointRecord } from '../models/checkpointPull.js';
import { buildModel } from '../models/build/build.js';
import { formatCheckpointInspection, inspectCheckpoint } from '../models/build/inspect.js';
import { isCheckpointPath, layerGraph } from '../models/source.js';
import { randomizeWeights } from '../models/randomize.js';
import { tapModel } from '../models/tap.js';
import { zoo } from '../models/zoo.js';
import { checkBatching, formatBatchCheck, resolveModel } from '../features/index.js';

const FAMILIES = ['wav2vec2', 'hubert', 'wavlm'] as const;

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

const layer0Of = (v: string | undefined): Layer0Tap | undefined => (v === undefined ? undefined : parseChoice('--layer0', v, LAYER0_TAPS));

/** Adds `bioprobe models` to the program. */
export function registerModels(program: Command): void {
  const models = program.command('models').description('the model zoo, downloads, building graphs from checkpoints, inspection');
  models
    .command('list')
    .description("the paper's seven models and the extras: checkpoint source and pin, layers, width, layer-0 tap, local copy")
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) => {
      const cacheDir = defaultCacheDir(process.env);
      const rows = zoo
        .list()
        .map((e) => ({ ...e, local: readCheckpointRecord(e.id, cacheDir)?.path, pulled: readPullRecord(e.id, cacheDir)?.path }));
      if (o.json) {
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        return;
      }
      for (const e of rows) {
        const src =
          e.source.kind === 'hf'
            ? `${e.source.repo}@${e.source.revision ?? 'main (not pinned)'}`
            : e.source.files.map((f) => f.url).join(' + ');
        const params = e.params ? `${(e.params / 1e6).toFixed(1)} M` : '';
        process.stdout.write(
          `${e.id.padEnd(21)} ${e.paper ? 'paper' : 'extra'} ${e.type.padEnd(6)} ${e.layers} x ${e.dim}  layer0=${e.layer0.padEnd(13)} ${params}\n` +
            `${''.padEnd(21)} checkpoint: ${src}${e.onnx ? `\n${''.padEnd(21)} onnx: ${e.onnx.kind === 'hf' ? `${e.onnx.repo}/${e.onnx.file}` : e.onnx.url}` : ''}` +
            `${e.local ? `\n${''.padEnd(21)} local: ${e.local}` : ''}\n`,
        );
      }
    });
  models
    .command('pull <id>')
    .description(
      "get a zoo model's original checkpoint, or any Hugging Face repository's (org/name), from the caches or the hub; --onnx: its public ONNX export instead",
    )
    .option('--onnx', 'the public ONNX export (full precision unless --variant) instead of the checkpoint')
    .option('--variant <name>', 'a published ONNX variant instead of full precision (e.g. quantized, fp16); implies --onnx')
    .option('--revision <rev>', "a revision of a Hugging Face repository (commit, branch, tag) instead of the zoo's pin or main")
    .option('--offline', 'only look in the caches')
    .option('--tap', 'also build (checkpoint) or tap (ONNX) the every-layer graph now')
    .action(async (id: string, o: { onnx?: boolean; variant?: string; revision?: string; offline?: boolean; tap?: boolean }) => {
      const cacheDir = defaultCacheDir(process.env);
      const entry = zoo.has(id) ? zoo.get(id) : undefined;
      if (o.onnx || o.variant) {
        if (!entry) throw new UsageError(`--onnx needs a zoo id; "${id}" is not one`);
        const pulled = await pullModel(id, { variant: o.variant, offline: o.offline, cacheDir, onProgress: progress() });
        if (process.stderr.isTTY) process.stderr.write('\n');
        process.stdout.write(
          `${pulled.id} (${pulled.variant === 'default' ? 'full precision' : pulled.variant}, ${pulled.origin}): ${pulled.path}\nsha256 ${pulled.sha256}\n`,
        );
        if (o.tap) {
          const t = await tapModel(pulled.path, { layer0: entry.layer0, cacheDir, expectLayers: entry.layers });
          process.stdout.write(`tapped: ${t.layers} layers x ${t.dim}, layer 0 = ${t.layer0}: ${t.path}\n`);
        }
        return;
      }
      const pulled = await pullCheckpoint(id, { offline: o.offline, cacheDir, revision: o.revision, onProgress: progress() });
      if (process.stderr.isTTY) process.stderr.write('\n');
      process.stdout.write(
        `${pulled.id} (${pulled.source}, ${pulled.origin}): ${pulled.path}\n${pulled.files.map((f) => `sha256 ${f.sha256}  ${f.name}`).join('\n')}\n`,
      );
      if (o.tap) {
        const b = await buildModel(pulled.path, { layer0: entry?.layer0, cacheDir, expectLayers: entry?.layers });
        process.stdout.write(`built: ${b.layers} layers x ${b.dim}, layer 0 = ${b.layer0}: ${b.path}\n`);
      }
    });
  models
    .command('import <checkpoint>')
    .description('build the every-layer ONNX graph of a checkpoint (folder, .safetensors, .bin, .pt, shard index), cached; --out copies it')
    .option('--out <file.onnx>', 'also write the graph here')
    .option('--layer0 <tap>', `layer 0: ${LAYER0_TAPS.join(' | ')} (default encoder-input)`)
    .option('--config <file>', 'a config file instead of the one beside the weights')
    .option('--family <name>', `family of a torchaudio checkpoint whose file name does not say: ${FAMILIES.join(' | ')}`)
    .option('--json', 'print JSON')
    .action(async (path: string, o: { out?: string; layer0?: string; config?: string; family?: string; json?: boolean }) => {
      const family = o.family === undefined ? undefined : parseChoice('--family', o.family, FAMILIES);
      const b = await buildModel(path, { layer0: layer0Of(o.layer0), config: o.config, family, cacheDir: defaultCacheDir(process.env) });
      if (o.out) copyFileSync(b.path, o.out);
      if (o.json) {
        process.stdout.write(JSON.stringify({ ...b, out: o.out }, null, 2) + '\n');
        return;
      }
      const p = b.checkpoint.parameters;
      process.stdout.write(
        [
          `checkpoint  ${b.source} (${b.checkpoint.format}, ${b.checkpoint.family}, ${b.norm}), sha256 ${b.sha256}`,
          `layers      ${b.layers} outputs layer_00..layer_${String(b.layers - 1).padStart(2, '0')} of [batch, frames, ${b.dim}], layer 0 = ${b.layer0}; verified by one run`,
          `parameters  encoder ${p.encoder.toLocaleString('en-US')}; whole checkpoint ${p.total.toLocaleString('en-US')}`,
          `graph       ${b.path} (builder v${b.builder.version}, cached)${o.out ? `\nwritten     ${o.out}` : ''}`,
        ].join('\n') + '\n',
      );
    });
  models
    .command('inspect <file>')
    .description(
      'an ONNX file (inputs, outputs, parameters, the layers bioprobe would tap) or a checkpoint (architecture, layers, width, exact parameter counts)',
    )
    .option('--json', 'print JSON')
    .option(
      '--tap [layer0]',
      `also tap (ONNX) or build (checkpoint) and run it once to verify shapes (layer 0: ${LAYER0_TAPS.join(' | ')})`,
    )
    .action(async (file: string, o: { json?: boolean; tap?: string | boolean }) => {
      const layer0 = o.tap ? parseChoice('--tap', typeof o.tap === 'string' ? o.tap : 'encoder-input', LAYER0_TAPS) : undefined;
      const checkpoint = isCheckpointPath(file);
      const r = checkpoint ? inspectCheckpoint(file) : inspectModel(file);
      const tapped = layer0 ? await layerGraph(file, { layer0, cacheDir: defaultCacheDir(process.env) }) : undefined;
      if (o.json) {
        process.stdout.write(JSON.stringify(tapped ? { ...r, tapped } : r, null, 2) + '\n');
        return;
      }
      const lines = checkpoint
        ? formatCheckpointInspection(r as ReturnType<typeof inspectCheckpoint>)
        : formatInspection(r as ReturnType<typeof inspectModel>);
      if (tapped)
        lines.push(
          `${checkpoint ? 'built' : 'tapped'}      ${tapped.layers} outputs layer_00..layer_${String(tapped.layers - 1).padStart(2, '0')} of [1, frames, ${tapped.dim}] verified: ${tapped.path}`,
        );
      process.stdout.write(lines.join('\n') + '\n');
    });
  models
    .command('randomize <model>')
    .description(
      "the random-weights control: a copy of an ONNX file, a checkpoint's built graph, or a zoo model's, with each weight tensor shuffled",
    )
    .option('--seed <n>', 'permutation seed', '0')
    .action(async (model: string, o: { seed: string }) => {
      const cacheDir = defaultCacheDir(process.env);
      let file = model;
      if (zoo.has(model)) {
        const entry = zoo.get(model);
        file = (await buildModel((await pullCheckpoint(model, { cacheDir, offline: true })).path, { layer0: entry.layer0, cacheDir })).path;
      } else if (isCheckpointPath(model)) {
        file = (await buildModel(model, { cacheDir })).path;
      }
      const seed = parseInteger('--seed', o.seed);
      const r = await randomizeWeights(file, { seed, cacheDir });
      process.stdout.write(
        `${r.shuffled} weight tensors shuffled (seed ${r.seed})${r.skipped.length ? `, ${r.skipped.length} left (external data)` : ''}: ${r.path}\n`,
      );
    });
  models
    .command('check <model>')
    .description(
      "batch invariance, per layer: how far a clip's pooled features move when tiled to a longer neighbour (the paper's batching), zero-padded, or batched with equal-length clips",
    )
    .option('--layer0 <tap>', `layer 0: ${LAYER0_TAPS.join(' | ')}`)
    .option('--threads <n>', 'onnxruntime intra-op threads')
    .action(async (model: string, o: { layer0?: string; threads?: string }) => {
      const threads = parseOptionalInteger('--threads', o.threads, { min: 1 });
      const m = await resolveModel(model, { layer0: layer0Of(o.layer0), threads, device: 'cpu' });
      process.stdout.write(formatBatchCheck(await checkBatching(m.spec)) + '\n');
    });
}

/** `bioprobe extract`: per-layer pooled features of a dataset into a features folder (INTERFACE.md). */
import type { Command } from 'commander';
import { UsageError } from '../util/errors.js';
import { parseChoice, parseOptionalInteger } from '../util/options.js';
import { DEVICES } from '../runtime/device.js';
import {
  checkBatching,
  extractFeatures,
  formatBatchCheck,
  mergeShards,
  MIN_CLIP_SAMPLES,
  parseShard,
  resolveModel,
} from '../features/index.js';
import { LAYER0_TAPS } from '../models/detect.js';
import { RESAMPLER_CHOICES } from '../audio/resampler.js';
import { CLASSES_OPTION_HELP, parseClassesOption } from '../datasets/classes.js';

interface ExtractCliOptions {
  model?: string;
  dataset?: string;
  out: string;
  threads?: string;
  device?: string;
  limit?: string;
  shard?: string;
  layer0?: string;
  maxChunk?: string;
  overwrite?: boolean;
  merge?: boolean;
  checkBatching?: boolean;
  resampler?: string;
  classes?: string;
  batch?: string;
}

/** `--max-chunk`: a number of samples (>= MIN_CLIP_SAMPLES), or `none` / `0` (never chunk). */
function maxChunk(v: string | undefined): number | undefined {
  if (v !== undefined && (v.trim().toLowerCase() === 'none' || v.trim() === '0')) return 0;
  return parseOptionalInteger('--max-chunk', v, { min: MIN_CLIP_SAMPLES });
}

/** Adds `bioprobe extract` to the program. */
export function registerExtract(program: Command): void {
  program
    .command('extract')
    .description("run every clip through a model and store each layer's pooled frames (mean + std) as layer_XX.npy")
    .option(
      '--model <model>',
      'model: a zoo id, an ONNX file (any wav2vec2-family export), a checkpoint (folder, .safetensors, .bin, .pt) or a Hugging Face repository id (org/name)',
    )
    .option('--dataset <spec>', 'dataset spec (csv:, folder:, watkins:, imv:, abzaliev:, synthetic[:n])')
    .option('--out <features-dir>', 'features folder (resumed when it holds an unfinished run of the same settings)')
    .option('--threads <n>', 'onnxruntime intra-op threads')
    .option('--device <cpu|cuda>', 'execution provider', 'cpu')
    .option('--limit <n>', 'only the first n items')
    .option('--shard <i/n>', 'compute only items with index % n == i (into <out>/.shards/i-of-n; then --merge)')
    .option('--layer0 <tap>', `layer 0: ${LAYER0_TAPS.join(' | ')} (default: the zoo entry's, encoder-input for files)`)
    .option(
      '--max-chunk <samples|none>',
      'cut longer clips into chunks of at most this many samples; none (or 0): never (default: as the paper: none on IMV and Abzaliev, else 2000000, 300000 for hubert-base)',
    )
    .option('--classes <list|@file>', `${CLASSES_OPTION_HELP}; default: the dataset's (the paper's map for its datasets)`)
    .option(
      '--resampler <engine>',
      `resampling engine: ${RESAMPLER_CHOICES.join(' | ')} (auto: libsoxr HQ as librosa when installed, else bioprobe's inexact kaiser)`,
      'auto',
    )
    .option(
      '--batch <n>',
      'most clips of one length per forward pass, used only if the first such batch gives bit-identical rows (default 16; 1: one clip per pass)',
    )
    .option('--overwrite', 'replace a store made with another model, dataset or setting')
    .option('--merge', 'assemble the finished shards in <out>/.shards into the store in <out>')
    .option(
      '--check-batching',
      "print how far tiling, zero padding or equal-length batching move each layer's features (needs only --model)",
    )
    .action(async (o: ExtractCliOptions) => {
      const notice = (line: string) => process.stderr.write(`bioprobe: ${line}\n`);
      const layer0 = o.layer0 === undefined ? undefined : parseChoice('--layer0', o.layer0, LAYER0_TAPS);
      const device = parseChoice('--device', o.device ?? 'cpu', DEVICES);
      const threads = parseOptionalInteger('--threads', o.threads, { min: 1 });
      const resampler = o.resampler === undefined ? undefined : parseChoice('--resampler', o.resampler, RESAMPLER_CHOICES);
      if (o.checkBatching) {
        if (!o.model) throw new UsageError('--check-batching needs --model');
        const m = await resolveModel(o.model, { layer0, threads, device });
        process.stdout.write(formatBatchCheck(await checkBatching(m.spec)) + '\n');
        return;
      }
      if (!o.out) throw new UsageError('extract needs --out <features-dir>');
      const out = o.out;
      if (o.merge) {
        if (o.shard) throw new UsageError('--merge and --shard cannot be combined');
        const m = mergeShards(out, { overwrite: o.overwrite, notice });
        process.stdout.write(
          `extract --merge: ${m.count} clips (${m.summary.ok} ok, ${m.summary.skipped} skipped)${m.sanity.warnings.length ? `; warnings: ${m.sanity.warnings.join('; ')}` : '; sanity ok'} -> ${out}\n`,
        );
        return;
      }
      if (!o.model || !o.dataset) throw new UsageError('extract needs --model and --dataset (or --merge)');
      const dieAfter = process.env.BIOPROBE_TEST_DIE_AFTER;
      // First SIGINT/SIGTERM: stop after the current clip, keep the progress, release the lock.
      const stop = new AbortController();
      const abort = () => stop.abort();
      process.once('SIGINT', abort);
      process.once('SIGTERM', abort);
      const r = await extractFeatures({
        model: o.model,
        dataset: o.dataset,
        out,
        threads,
        device,
        limit: parseOptionalInteger('--limit', o.limit, { min: 1 }),
        shard: o.shard === undefined ? undefined : parseShard(o.shard, '--shard'),
        layer0,
        maxChunk: maxChunk(o.maxChunk),
        overwrite: o.overwrite,
        resampler,
        classes: o.classes ? parseClassesOption(o.classes) : undefined,
        batch: parseOptionalInteger('--batch', o.batch, { min: 1 }),
        progress: process.stderr,
        notice,
        dieAfter: dieAfter ? Number(dieAfter) : undefined,
        signal: stop.signal,
      }).finally(() => {
        process.off('SIGINT', abort);
        process.off('SIGTERM', abort);
      });
      process.stdout.write(r.summary + '\n');
    });
}

/**
 * `extractFeatures`: the features stage end to end, in phases:
 *   resolve the model -> open it in a worker thread (tap + session) while loading the dataset (limit, shard)
 *   -> open the store (create / resume / complete; lock; identity check) -> stream the pending clips
 *   (decode -> 16 kHz -> peak-normalise -> tile / chunk, prefetched) through the model (all layers, one
 *   forward pass per chunk) -> pool -> rows to the store -> finalise (sanity checks, clips.csv, manifest).
 * A clip that cannot be used is recorded with its reason and zero rows; the run goes on.
 */
import { ResamplerCache, type ResamplerChoice, type ResamplerEngine } from '../audio/resampler.js';
import { classesOf, writeClassesFile } from '../datasets/classes.js';
import { loadDataset } from '../datasets/load.js';
import type { Dataset } from '../datasets/types.js';
import type { Layer0Tap } from '../models/detect.js';
import { parseDevice, type Device } from '../runtime/device.js';
import { parseOptionalInteger } from '../util/options.js';
import { BioprobeError, UsageError } from '../util/errors.js';
import { VERSION } from '../util/version.js';
import { openClipInputs } from './clipSource.js';
import { extractionResampler } from './resampling.js';
import { FEATURES_FORMAT, hashItems, type Preprocessing, type Shard, type StoreIdentity } from './identity.js';
import type { FeaturesManifest } from './manifest.js';
import { resolveModel } from './model.js';
import { runPipeline } from './pipeline.js';
import { Progress, type ProgressSink } from './progress.js';
import { inShard, shardDir } from './shards.js';
import { FeatureStore } from './store.js';
import { openWorkerModel } from './threadedModel.js';
import { formatSummary } from './summary.js';

/**
 * Very long clips are cut into chunks of at most this many samples (the zoo's hubert-base: 300,000), as
 * the paper's code did on Watkins. Datasets the paper ran whole (`chunkLongClips: false`: IMV, Abzaliev)
 * are not chunked by default (maxChunk 0). docs/EXTRACTION.md.
 */
export const DEFAULT_MAX_CHUNK = 2_000_000;
/** SPEC.md: shorter clips are repeat-tiled up to this many samples. */
export const MIN_CLIP_SAMPLES = 5000;
/** Most clips of one length per forward pass by default (batching.ts: only when bit-identical to one clip per pass). */
export const DEFAULT_BATCH = 16;

export interface ExtractOptions {
  /** Zoo id or ONNX file. */
  model: string;
  /** Dataset spec (INTERFACE.md). */
  dataset: string;
  /** Features folder. */
  out: string;
  threads?: number;
  device?: Device;
  /** Only the first N items (in dataset order). */
  limit?: number;
  /** Compute only this shard's items into `<out>/.shards/<i>-of-<n>`. */
  shard?: Shard;
  /** Layer-0 tap (default: the zoo entry's, or encoder-input for a file). */
  layer0?: Layer0Tap;
  /**
   * Longest chunk in samples; 0 = never chunk. Default: 0 for datasets the paper ran whole (IMV,
   * Abzaliev), else the zoo entry's (hubert-base 300,000) or 2,000,000.
   */
  maxChunk?: number;
  /** Class map for the dataset (loadDataset's `classes`); written to classes.json. Default: the dataset's. */
  classes?: string[];
  /**
   * Most clips of one length per forward pass (default 16; 1 = one clip per pass). Used only when the
   * first such batch gives every pooled row bit-identical to clip-by-clip (batching.ts); recorded in the manifest.
   */
  batch?: number;
  /** Replace a store of another identity. */
  overwrite?: boolean;
  /** Resampling engine (docs/AUDIO.md): `auto` (default: libsoxr HQ when installed, else the inexact kaiser), `libsoxr`, `kaiser`. */
  resampler?: ResamplerChoice;
  /** Refuse an inexact resampler (the `paper` protocol sets this unless allowInexactResampler is given). */
  requireExactResampler?: boolean;
  /** Cache root for tapped models and the synthetic dataset. */
  cacheDir?: string;
  /** Where progress (TTY) and notices go; default nowhere. */
  progress?: ProgressSink;
  notice?: (line: string) => void;
  /** Called after each clip is stored: clips done (resumed ones included) and the total. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Stop cleanly when aborted (the CLI aborts on SIGINT/SIGTERM, e.g. a Slurm time limit): finished
   * clips are made durable, the lock is released, and the call rejects with code `interrupted`.
   */
  signal?: AbortSignal;
  /** Test hook: SIGKILL this process after storing N clips (simulates a crash mid-run). */
  dieAfter?: number;
}

export interface ExtractResult {
  /** Folder written (the shard's sub-store for --shard). */
  dir: string;
  manifest: FeaturesManifest;
  /** 'complete' when the store was already finished and nothing was computed. */
  state: 'fresh' | 'resumed' | 'complete';
  /** Clips computed by this run. */
  computed: number;
  seconds: number;
  audioSeconds: number;
  /** The end-of-run summary line (also usable in logs). */
  summary: string;
}

/** The audio preparation every clip of a store gets; `resampler` is the engine's record. */
export function clipPreprocessing(resampler: ResamplerEngine, maxChunk: number): Preprocessing {
  return {
    sampleRate: 16000,
    mono: 'channel-mean',
    resampler: resampler.info,
    normalise: 'peak',
    minSamples: MIN_CLIP_SAMPLES,
    maxChunk,
    batching: 'per-clip',
    mpegLength: 'librosa',
  };
}

function checkOptions(o: ExtractOptions): void {
  parseOptionalInteger('threads', o.threads, { min: 1 });
  parseOptionalInteger('limit', o.limit, { min: 1 });
  if (o.maxChunk !== undefined && o.maxChunk !== 0 && (!Number.isInteger(o.maxChunk) || o.maxChunk < MIN_CLIP_SAMPLES)) {
    throw new UsageError(`maxChunk must be 0 (never chunk) or an integer >= ${MIN_CLIP_SAMPLES}, got ${o.maxChunk}`);
  }
  parseOptionalInteger('batch', o.batch, { min: 1 });
  if (o.device !== undefined) parseDevice(o.device);
}

export async function extractFeatures(opts: ExtractOptions): Promise<ExtractResult> {
  checkOptions(opts);
  const t0 = Date.now();
  const resampler = extractionResampler(opts.resampler, opts.requireExactResampler, opts.notice);
  const resolved = await resolveModel(opts.model, {
    layer0: opts.layer0,
    cacheDir: opts.cacheDir,
    threads: opts.threads,
    device: opts.device,
  });
  // The worker taps and loads the model (seconds for a base model) while this thread loads the dataset.
  const batch = opts.batch ?? DEFAULT_BATCH;
  const opening = openWorkerModel({ ...resolved.spec, batch });
  opening.catch(() => {}); // its error is rethrown where it is awaited below
  let dataset: Dataset;
  try {
    dataset = await loadDataset(opts.dataset, { cacheDir: opts.cacheDir, classes: opts.classes });
  } catch (err) {
    await opening.then(
      ({ model }) => model.close(),
      () => {},
    );
    throw err;
  }
  const items = opts.limit ? dataset.items.slice(0, opts.limit) : dataset.items;
  const shard = opts.shard ?? null;
  const mine = items.filter((it) => inShard(it.index, shard));
  if (dataset.skipped?.length)
    opts.notice?.(`${dataset.name}: ${dataset.skipped.length} rows skipped by the loader (bioprobe datasets stats lists them)`);
  const maxChunk = opts.maxChunk ?? (dataset.chunkLongClips === false ? 0 : (resolved.maxChunk ?? DEFAULT_MAX_CHUNK));

  const { model, info } = await opening;
  try {
    const preprocessing = clipPreprocessing(resampler, maxChunk);
    const identity: StoreIdentity = {
      format: FEATURES_FORMAT,
      modelSha256: info.tapped.sha256,
      layer0: info.layer0,
      layers: info.layers,
      dim: 2 * info.dim,
      itemsHash: hashItems(items),
      count: items.length,
      preprocessing,
      device: opts.device ?? 'cpu',
      shard,
      onnxruntime: resolved.ortVersion,
    };
    const dir = shard ? shardDir(opts.out, shard) : opts.out;
    const store = FeatureStore.open({ dir, identity, items: mine, overwrite: opts.overwrite, notice: opts.notice });
    try {
      writeClassesFile(dir, classesOf(dataset));
      const pending = store.pendingItems();
      const resumed = mine.length - pending.length;
      const progress = new Progress(mine.length, resumed, opts.progress);
      await runPipeline(
        openClipInputs(pending, { maxChunk, minSamples: MIN_CLIP_SAMPLES, resamplers: new ResamplerCache(resampler) }),
        model,
        store,
        {
          // up to `batch` clips in flight, so that equal-length ones can share a pass, but never more than ~1 M samples beyond two clips
          signal: opts.signal,
          inflight: Math.max(2, batch),
          inflightSamples: 1_000_000,
          onClip: (rec) => {
            progress.tick(rec.status === 'ok' ? (rec.duration_s ?? 0) : 0, rec.status !== 'ok');
            opts.onProgress?.(resumed + progress.clips, mine.length);
            if (opts.dieAfter !== undefined && progress.clips >= opts.dieAfter) process.kill(process.pid, 'SIGKILL');
          },
        },
      );
      progress.end();
      if (opts.signal?.aborted) {
        throw new BioprobeError('features', 'interrupted', `interrupted after ${resumed + progress.clips} of ${mine.length} clips`, {
          file: dir,
          hint: 'rerun the same command to resume',
        });
      }
      const seconds = (Date.now() - t0) / 1000;
      const manifest = store.finalize(
        {
          model: resolved.info.id,
          dataset: dataset.spec,
          datasetName: dataset.name,
          // Table II's parameter count, recorded here so that readers (the report) never open the model
          modelInfo: {
            ...resolved.info,
            sha256: info.tapped.sha256,
            params: resolved.info.params ?? info.tapped.parameters,
            layers: info.layers,
            width: info.dim,
            layer0: info.layer0,
          },
          versions: { bioprobe: VERSION, onnxruntime: resolved.ortVersion, node: process.version },
          run: {
            threads: opts.threads ?? null,
            device: opts.device ?? 'cpu',
            computedClips: progress.clips,
            resumedClips: resumed,
            seconds,
            audioSeconds: progress.audioSeconds,
            worker: true,
            batching: model.batching?.() ?? null,
            finished: new Date().toISOString(),
          },
        },
        { expectedDim: 2 * (resolved.info.width || info.dim) },
      );
      const state = store.state;
      return {
        dir,
        manifest,
        state,
        computed: progress.clips,
        seconds,
        audioSeconds: progress.audioSeconds,
        summary: formatSummary(manifest, { dir, computed: progress.clips, seconds, audioSeconds: progress.audioSeconds, state }),
      };
    } finally {
      store.close();
    }
  } finally {
    await model.close();
  }
}

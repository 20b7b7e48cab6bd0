/**
 * Features of the log-mel baseline, written exactly like `bioprobe extract` writes a model's: the
 * features stage's store (resumable, locked, identity-checked), clip source (decode -> 16 kHz ->
 * peak-normalise -> tile/chunk) and pipeline (per-clip pooling, mean + unbiased std), with the
 * baseline's Forward in place of an ONNX model. One layer: layer_00.npy of width 2 * n_mels.
 */
import { classesOf, writeClassesFile } from '../datasets/classes.js';
import type { Dataset } from '../datasets/types.js';
import { openClipInputs } from '../features/clipSource.js';
import { ResamplerCache, type ResamplerChoice } from '../audio/resampler.js';
import { clipPreprocessing, DEFAULT_MAX_CHUNK, MIN_CLIP_SAMPLES } from '../features/extract.js';
import { extractionResampler } from '../features/resampling.js';
import { FEATURES_FORMAT, hashItems, type StoreIdentity } from '../features/identity.js';
import type { FeaturesManifest } from '../features/manifest.js';
import { inThread, runPipeline } from '../features/pipeline.js';
import { FeatureStore } from '../features/store.js';
import { VERSION } from '../util/version.js';
import { LOGMEL_ID, logMelForward, logMelModelInfo } from './forward.js';
import { DEFAULT_LOGMEL } from './logmel.js';

export interface BaselineExtractOptions {
  dataset: Dataset;
  out: string;
  /** Only the first N items. */
  limit?: number;
  notice?: (line: string) => void;
  /** Resampling engine (as `bioprobe extract`'s). */
  resampler?: ResamplerChoice;
  /** Refuse an inexact resampler (the paper protocol). */
  requireExactResampler?: boolean;
}

export async function extractLogMelFeatures(o: BaselineExtractOptions): Promise<FeaturesManifest> {
  const t0 = Date.now();
  const items = o.limit ? o.dataset.items.slice(0, o.limit) : o.dataset.items;
  const info = logMelModelInfo(DEFAULT_LOGMEL);
  const resampler = extractionResampler(o.resampler, o.requireExactResampler, o.notice);
  const preprocessing = clipPreprocessing(resampler, DEFAULT_MAX_CHUNK);
  const identity: StoreIdentity = {
    format: FEATURES_FORMAT,
    modelSha256: info.sha256,
    layer0: info.layer0,
    layers: 1,
    dim: 2 * info.width,
    itemsHash: hashItems(items),
    count: items.length,
    preprocessing,
    device: 'cpu',
    shard: null,
  };
  const store = FeatureStore.open({ dir: o.out, identity, items, notice: o.notice });
  try {
    writeClassesFile(o.out, classesOf(o.dataset));
    const pending = store.pendingItems();
    let computed = 0;
    await runPipeline(
      openClipInputs(pending, { maxChunk: DEFAULT_MAX_CHUNK, minSamples: MIN_CLIP_SAMPLES, resamplers: new ResamplerCache(resampler) }),
      inThread(logMelForward()),
      store,
      {
        onClip: () => {
          computed++;
        },
      },
    );
    return store.finalize(
      {
        model: LOGMEL_ID,
        dataset: o.dataset.spec,
        datasetName: o.dataset.name,
        modelInfo: info,
        versions: { bioprobe: VERSION, onnxruntime: 'not used', node: process.version },
        run: {
          device: 'cpu',
          computedClips: computed,
          resumedClips: items.length - pending.length,
          seconds: (Date.now() - t0) / 1000,
          finished: new Date().toISOString(),
        },
      },
      { expectedDim: 2 * info.width },
    );
  } finally {
    store.close();
  }
}

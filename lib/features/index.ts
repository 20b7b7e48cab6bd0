/**
 * Features stage: every layer of a model over a dataset, pooled per clip (mean + unbiased std over
 * frames) into a streaming, resumable .npy store (INTERFACE.md "Features directory").
 * `extractFeatures` runs it end to end; `mergeShards` assembles `--shard` runs; `checkBatching`
 * measures how far batching or padding would move features; the rest is the machinery, exported for
 * tools and tests.
 */
export { extractFeatures, DEFAULT_MAX_CHUNK, MIN_CLIP_SAMPLES, type ExtractOptions, type ExtractResult } from './extract.js';
export { mergeShards, parseShard, shardDir, inShard, SHARDS_DIR } from './shards.js';
export { LayerPool, poolFrames } from './pooling.js';
export { FeatureStore, PARTIAL_DIR, CLIPS_NAME, type StoreOptions, type ManifestInput } from './store.js';
export {
  readManifest,
  layerFileName,
  MANIFEST_NAME,
  type FeaturesManifest,
  type FeatureModelInfo,
  type FeaturesSummary,
} from './manifest.js';
export { readClipsCsv, writeClipsCsv, CLIPS_COLUMNS, type ClipRow } from './clipsCsv.js';
export { FEATURES_FORMAT, hashItems, identityHash, type StoreIdentity, type Preprocessing, type Shard } from './identity.js';
export { checkStore, type SanityReport } from './sanity.js';
export type { ClipRecord } from './journal.js';
export { runPipeline, poolClip, inThread, type ClipInput, type ClipModel, type Forward, type PooledClip } from './pipeline.js';
export { openWorkerModel } from './threadedModel.js';
export { resolveModel, forwardOf, type ModelSpec } from './model.js';
export { checkBatching, defaultCheckClips, formatBatchCheck, type BatchCheckReport, type LayerBatchReport } from './batchCheck.js';

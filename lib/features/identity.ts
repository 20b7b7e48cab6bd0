/**
 * What a features store was made from. Two runs may write into the same store only when their
 * identities are equal: same model file (sha256) and layer-0 tap, same items (paths, labels, segments, in
 * order), same preprocessing, same device, same shard, same onnxruntime version (another version's
 * kernels may round differently). Anything else is refused, never mixed in.
 * Thread counts are not part of it: 1, 2 and 4 threads give the same bytes (test/features/threads.test.ts,
 * docs/EXTRACTION.md).
 */
import { createHash } from 'node:crypto';
import { canonicalJson, sha256 } from '../util/hash.js';
import { describeResampler, type ResamplerInfo } from '../audio/resampler.js';
import type { Item } from '../datasets/types.js';
import { BioprobeError } from '../util/errors.js';

export const FEATURES_FORMAT = 'bioprobe.features/1';

/** The audio preparation applied to every clip before the model (SPEC.md "Audio preprocessing"). */
export interface Preprocessing {
  sampleRate: number;
  mono: 'channel-mean';
  /** The resampling engine and its settings (a string in stores made before bioprobe recorded the engine). */
  resampler: ResamplerInfo | string;
  normalise: 'peak';
  /** Clips shorter than this many samples are repeat-tiled up to it. */
  minSamples: number;
  /** Longer clips are cut into chunks of at most this many samples; frames are concatenated before pooling. 0 = never. */
  maxChunk: number;
  /** How chunks and clips reach the model: one clip per forward pass. */
  batching: 'per-clip';
  /**
   * Length of MPEG audio (MP3 in WAV, bare MP3): 'librosa' = libsndfile's reading (audio/mpegLength.ts).
   * Absent in stores made before bioprobe matched it: such a store is not resumed with today's decoding.
   */
  mpegLength?: 'librosa' | 'stream';
}

export interface Shard {
  index: number;
  count: number;
}

export interface StoreIdentity {
  format: typeof FEATURES_FORMAT;
  modelSha256: string;
  layer0: string;
  layers: number;
  dim: number;
  itemsHash: string;
  count: number;
  preprocessing: Preprocessing;
  device: string;
  shard: Shard | null;
  /** onnxruntime version that computes the rows (absent for stores computed without it: baselines). */
  onnxruntime?: string;
}

/** sha256 over the items' index, path, label, start and end, in order. */
export function hashItems(items: readonly Item[]): string {
  const h = createHash('sha256');
  for (const it of items) h.update(`${it.index}\t${it.path}\t${it.label}\t${it.start ?? ''}\t${it.end ?? ''}\n`);
  return h.digest('hex');
}

/** Short hash of an identity (recorded in the manifest). */
export function identityHash(id: StoreIdentity): string {
  return sha256(canonicalJson(id)).slice(0, 16);
}

/** Names of the top-level fields in which two identities differ. */
export function identityDiff(a: StoreIdentity, b: StoreIdentity): (keyof StoreIdentity)[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof StoreIdentity>;
  return [...keys].filter((k) => canonicalJson(a[k]) !== canonicalJson(b[k])).sort();
}

const DESCRIBE: Partial<Record<keyof StoreIdentity, string>> = {
  modelSha256: 'another model file',
  layer0: 'another layer-0 tap',
  itemsHash: 'another dataset (items differ)',
  count: 'another number of items',
  preprocessing: 'other preprocessing settings',
  device: 'another device',
  shard: 'another shard',
  layers: 'another number of layers',
  dim: 'another feature width',
  format: 'another store format',
  onnxruntime: 'another onnxruntime version',
};

/** Which preprocessing difference: a resampler change is named (engines are never mixed in one store). */
function describePreprocessing(found: Preprocessing, wanted: Preprocessing): string {
  const other = canonicalJson({ ...found, resampler: undefined }) !== canonicalJson({ ...wanted, resampler: undefined });
  const resampler =
    canonicalJson(found.resampler) !== canonicalJson(wanted.resampler)
      ? `another resampler (the store: ${describeResampler(found.resampler)}; this run: ${describeResampler(wanted.resampler)})`
      : '';
  return [other ? DESCRIBE.preprocessing : '', resampler].filter(Boolean).join(', ');
}

/** Throw a clear error when `found` (on disk) differs from `wanted` (this run). */
export function assertSameIdentity(dir: string, found: StoreIdentity, wanted: StoreIdentity): void {
  const diff = identityDiff(found, wanted);
  if (diff.length === 0) return;
  const what = diff
    .map((k) => (k === 'preprocessing' ? describePreprocessing(found.preprocessing, wanted.preprocessing) : (DESCRIBE[k] ?? k)))
    .join(', ');
  throw new BioprobeError('features', 'store-mismatch', `this features folder was made with ${what}; refusing to mix stores`, {
    file: dir,
    hint: 'use --overwrite to replace it, or choose another --out',
  });
}

/**
 * From the audio stage's prepared clips (`openClips`: each file decoded once for all its segments,
 * resampled to 16 kHz, peak-normalised, tiled to 5000 samples, chunked) to the pipeline's ClipInput.
 *
 * Two decisions live here (docs/EXTRACTION.md):
 * - A silent clip (every sample 0) is skipped with reason `silent`: its features would be the model's
 *   response to nothing, the same for every such clip, and the paper's code divided by a zero peak.
 * - A trailing chunk shorter than the model's receptive field (400 samples, 25 ms) yields no frame;
 *   it is dropped rather than failing the whole clip.
 */
import { openClips } from '../audio/clips.js';
import type { ResamplerCache } from '../audio/resampler.js';
import type { PreparedClip } from '../audio/types.js';
import type { Item } from '../datasets/types.js';
import { MIN_SAMPLES } from '../models/layerModel.js';
import { BioprobeError } from '../util/errors.js';
import type { ClipInput } from './pipeline.js';

interface ClipSourceOptions {
  /** Longest chunk in samples; 0 = never chunk. */
  maxChunk: number;
  minSamples: number;
  /** The run's resampler (its engine is the one recorded in the store's identity). */
  resamplers: ResamplerCache;
}

/** Short `;`-separated notes on what happened to a clip (clips.csv `flags`); empty for a clean clip. */
function clipFlags(c: PreparedClip): string {
  const f: string[] = [];
  if (c.flags.tiled) f.push('tiled');
  if (c.flags.truncated) f.push('truncated');
  if (c.flags.nonFinite) f.push(`nonfinite=${c.flags.nonFinite}`);
  if (c.flags.clipped) f.push(`clipped=${c.flags.clipped}`);
  if (c.flags.segmentClamped) f.push('segment-clamped');
  return f.join(';');
}

/** The model's inputs for one prepared clip. */
export function clipChunks(c: PreparedClip): Float32Array[] {
  const chunks = c.chunks ?? [c.samples];
  return chunks.length > 1 && chunks[chunks.length - 1].length < MIN_SAMPLES ? chunks.slice(0, -1) : chunks;
}

/** Prepared clips for `items`, in order, as pipeline inputs. */
export async function* openClipInputs(items: readonly Item[], opts: ClipSourceOptions): AsyncGenerator<ClipInput> {
  // Decoded files kept for later segments: 2 files / 512 MB (a dataset's segments of one file are
  // contiguous in item order), so decoded audio plus a base model stay well under 1.5 GB.
  const clips = openClips(items, {
    maxChunkSamples: opts.maxChunk > 0 ? opts.maxChunk : Number.MAX_SAFE_INTEGER,
    minSamples: opts.minSamples,
    cacheFiles: 2,
    cacheBytes: 512 * 2 ** 20,
    resamplers: opts.resamplers,
  });
  for await (const r of clips) {
    if (r.error) {
      yield { item: r.item, error: r.error };
      continue;
    }
    const c = r.clip;
    const info = { duration_s: c.durationSeconds, sample_rate: c.sourceRate, channels: c.sourceChannels, flags: clipFlags(c) };
    if (c.flags.silent) {
      yield {
        item: r.item,
        info,
        error: new BioprobeError('audio', 'silent', 'every sample is 0: nothing to embed', { file: r.item.path }),
      };
      continue;
    }
    yield { item: r.item, info, chunks: clipChunks(c) };
  }
}

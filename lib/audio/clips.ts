/**
 * The extraction stage's door to audio: items in (any `ClipRef`: a file and an optional segment, such as
 * the datasets stage's `Item`), prepared clips out, in item order, each result carrying its item.
 *
 * `openClips` decodes each file once for all of its items (IMV: 72,920 segments of 350 ten-minute
 * files): it knows every item up front, so a decoded file stays cached until its last item has been
 * served, within `cacheFiles`/`cacheBytes` (when over, the file needed furthest ahead goes first).
 * Large uncompressed WAV files are read by position per segment instead (source.ts).
 * A file that fails to open is also remembered, so its segments fail fast with the same reason.
 * Every failure is yielded as `{ item, error }` (an AudioError): the loop never throws for bad audio.
 */
import { AudioError, BioprobeError } from '../util/errors.js';
import { audioError } from './errors.js';
import { prepareFromSource, type PrepareOptions } from './prepare.js';
import { ResamplerCache } from './resampler.js';
import { openSource, type AudioSource, type SourceOptions } from './source.js';
import type { ClipRef, PreparedClip } from './types.js';

export interface ClipOptions extends PrepareOptions, SourceOptions {
  /** Decoded files held at once (default 4). Items of one file are usually contiguous, so 1 suffices then. */
  cacheFiles?: number;
  /** Bytes of decoded audio held at once (default 1 GiB); the file the next item needs is always kept. */
  cacheBytes?: number;
  /** Share resampler tables across calls (default: one cache per openClips call; pass one when calling loadClip in a loop). Its engine wins over `resampler`. */
  resamplers?: ResamplerCache;
  /** Called after each file is opened (decoded) or fails: progress, and the once-per-file guarantee in tests. */
  onDecode?: (path: string, result: AudioSource | AudioError) => void;
}

export type ClipResult<T extends ClipRef = ClipRef> =
  | { item: T; clip: PreparedClip; error?: undefined }
  | { item: T; error: AudioError; clip?: undefined };

/** Any thrown value as the AudioError recorded for `file` (library bugs included: the run goes on). */
function asAudioError(err: unknown, file: string): AudioError {
  if (err instanceof AudioError) return err;
  if (err instanceof BioprobeError) return audioError('decode-failed', file, err.message, err.hint, err);
  const msg = err instanceof Error ? err.message : String(err);
  return audioError('decode-failed', file, `unexpected error: ${msg.split('\n')[0]}`, 'please report this file', err);
}

/**
 * Load and prepare one item (whole file or its [start, end] segment). Throws AudioError.
 * Builds its own resampler tables unless `opts.resamplers` is given: pass one when looping.
 */
export async function loadClip<T extends ClipRef>(item: T, opts: ClipOptions = {}): Promise<PreparedClip> {
  let source: AudioSource | undefined;
  try {
    source = await openSource(item.path, opts);
    return await prepareFromSource(
      source,
      { start: item.start, end: item.end },
      opts,
      opts.resamplers ?? new ResamplerCache({ ...opts.resample, resampler: opts.resampler }),
    );
  } catch (err) {
    throw asAudioError(err, item.path);
  } finally {
    await source?.close();
  }
}

interface Entry {
  result: AudioSource | AudioError;
  lastUse: number;
}

/** Prepared clips for `items`, in their order, each file decoded once while its items are served. */
export async function* openClips<T extends ClipRef>(items: readonly T[], opts: ClipOptions = {}): AsyncGenerator<ClipResult<T>> {
  const maxFiles = Math.max(1, opts.cacheFiles ?? 4);
  const maxBytes = opts.cacheBytes ?? 2 ** 30;
  const resamplers = opts.resamplers ?? new ResamplerCache({ ...opts.resample, resampler: opts.resampler });
  const lastUse = new Map<string, number>();
  items.forEach((it, i) => lastUse.set(it.path, i));
  const cache = new Map<string, Entry>();
  try {
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      let entry = cache.get(item.path);
      if (!entry) {
        let result: AudioSource | AudioError;
        try {
          result = await openSource(item.path, opts);
        } catch (err) {
          result = asAudioError(err, item.path);
        }
        opts.onDecode?.(item.path, result);
        entry = { result, lastUse: lastUse.get(item.path)! };
        cache.set(item.path, entry);
      }
      const source = entry.result;
      if (source instanceof AudioError) yield { item, error: source };
      else {
        let out: ClipResult<T>;
        try {
          out = { item, clip: await prepareFromSource(source, { start: item.start, end: item.end }, opts, resamplers) };
        } catch (err) {
          out = { item, error: asAudioError(err, item.path) };
        }
        yield out;
      }
      await evict(cache, i, items[i + 1]?.path, maxFiles, maxBytes);
    }
  } finally {
    for (const e of cache.values()) if (!(e.result instanceof AudioError)) await e.result.close();
  }
}

/**
 * Drop files whose items are all served; then, while over budget, the one needed furthest ahead,
 * never the one the next item needs (a file bigger than the budget is kept for its run of items).
 */
async function evict(
  cache: Map<string, Entry>,
  done: number,
  nextPath: string | undefined,
  maxFiles: number,
  maxBytes: number,
): Promise<void> {
  const bytesOf = (e: Entry) => (e.result instanceof AudioError ? 0 : e.result.bytes);
  const drop = async (path: string) => {
    const e = cache.get(path)!;
    cache.delete(path);
    if (!(e.result instanceof AudioError)) await e.result.close();
  };
  for (const [path, e] of [...cache]) if (e.lastUse <= done) await drop(path);
  let bytes = 0;
  for (const e of cache.values()) bytes += bytesOf(e);
  while (cache.size > maxFiles || bytes > maxBytes) {
    let far: string | undefined;
    let farUse = -1;
    for (const [path, e] of cache) if (path !== nextPath && e.lastUse > farUse) [far, farUse] = [path, e.lastUse];
    if (far === undefined) return;
    bytes -= bytesOf(cache.get(far)!);
    await drop(far);
  }
}

/** Values the audio stage hands out: a decoded recording and a clip prepared for a model. */

/**
 * What the audio stage needs of a clip: its file and, for a segment, [start, end] in seconds.
 * Structural, so any record with these fields works (the datasets stage's `Item` does).
 */
export interface ClipRef {
  path: string;
  start?: number;
  end?: number;
}

/** Which reader produced the samples. */
export type AudioContainer = 'wav' | 'aiff' | 'flac' | 'mp3' | 'ogg';

/** A whole decoded recording, mixed to mono by the channel mean, at its own sample rate. */
export interface DecodedAudio {
  /** Mono samples (mean of channels), nominal range [-1, 1]. */
  samples: Float32Array;
  sampleRate: number;
  /** Channels in the source (before the mean). */
  channels: number;
  container: AudioContainer;
  /** Codec name: `pcm-u8`, `pcm-s8` (AIFF), `pcm-s16`, `pcm-s24`, `pcm-s32`, `float32`, `float64`, `alaw`, `mulaw`, `ima-adpcm`, `ms-adpcm`, `mp3`, `flac`, `vorbis`. */
  codec: string;
  /** The header promised more data than the file holds; what exists was decoded. */
  truncated: boolean;
  /** Samples that were NaN or +-Inf in the source and were replaced by 0. */
  nonFinite: number;
  /** Source samples at integer full scale (or |x| >= 1 for float): a clipping indicator. */
  clipped: number;
  /** Repairs and oddities met while reading, one short sentence each (empty for a clean file). */
  warnings: string[];
}

/** What happened to a clip on its way to the model; all false/0 for a clean clip. */
export interface ClipFlags {
  /** Every sample was 0 after resampling: left as zeros (no division by a zero peak). */
  silent: boolean;
  /** Shorter than `minSamples`: repeat-tiled from its start. */
  tiled: boolean;
  /** Source header claimed more data than the file held. */
  truncated: boolean;
  /** NaN/Inf samples replaced by 0, counted over the source (the whole file when decoded whole, the segment when read by position). */
  nonFinite: number;
  /** Samples at full scale, counted like nonFinite (a clipping indicator). */
  clipped: number;
  /** The segment's end ran past the file by less than the tolerance and was cut at the file's end. */
  segmentClamped: boolean;
}

/** One clip ready for a 16 kHz model: the output of the audio stage. */
export interface PreparedClip {
  /** Mono at `sampleRate`, peak-normalised (unless disabled), tiled to at least `minSamples`. */
  samples: Float32Array;
  /** Always the requested target rate (16000 by default). */
  sampleRate: number;
  /**
   * Present when samples.length > maxChunkSamples: consecutive views of `samples`, each at most
   * maxChunkSamples long; run the model per chunk and concatenate frames before pooling.
   */
  chunks?: Float32Array[];
  sourceRate: number;
  sourceChannels: number;
  sourceCodec: string;
  /** Length of the source segment in seconds, before resampling and tiling. */
  durationSeconds: number;
  /** max|x| after resampling, before normalisation (0 for a silent clip). */
  peak: number;
  flags: ClipFlags;
  warnings: string[];
}

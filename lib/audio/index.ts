/**
 * Audio input: decode any supported file (WAV incl. ADPCM and MP3-in-WAV, AIFF, FLAC, MP3, Ogg Vorbis) to mono,
 * cut [start, end] segments, resample to 16 kHz (libsoxr HQ as librosa, or the kaiser fallback), peak-normalise, tile and chunk;
 * read a file's rate, channels and length from its header alone (readAudioHeader); write 16-bit WAV (encodeWavPcm16).
 * The extraction stage uses `openClips` (or `loadClip`); the rest is exported for tools and tests.
 */
export * from './types.js';
export * from './errors.js';
export { decodeAudio, readAudio, fileError, type DecodeOptions } from './decode.js';
export { readAudioHeader, type AudioHeader } from './header.js';
export { encodeWavPcm16 } from './wavEncode.js';
export { sniffAudio, type Sniffed } from './sniff.js';
export { walkWav, walkWavPrefix, type WavFormat, type WavLayout } from './riff.js';
export { Resampler, resample, DEFAULT_RESAMPLE, type ResampleOptions } from './resample.js';
export {
  ResamplerCache,
  resolveResampler,
  describeResampler,
  warnInexact,
  RESAMPLER_CHOICES,
  type ResamplerChoice,
  type ResamplerInfo,
  type ResamplerEngine,
  type ResamplerOptions,
  type RateConverter,
} from './resampler.js';
export { loadLibsoxr, LIBSOXR_ENV, type Libsoxr, type LibsoxrStatus } from './soxr.js';
export {
  prepareClip,
  prepareFromSource,
  cutSegment,
  segmentRange,
  chunkSamples,
  tile,
  DEFAULT_PREPARE,
  type PrepareOptions,
  type Segment,
  type SegmentRange,
} from './prepare.js';
export { openSource, memorySource, type AudioSource, type SourceOptions } from './source.js';
export { openClips, loadClip, type ClipOptions, type ClipResult } from './clips.js';

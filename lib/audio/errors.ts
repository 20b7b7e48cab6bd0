/**
 * Audio error codes: stable strings that clips.csv records and scripts match on. Each error is an
 * AudioError (lib/util/errors.ts) naming the file, with a hint saying what to do.
 */
import { AudioError } from '../util/errors.js';

export const AUDIO_ERROR_CODES = [
  'file-missing', // no such file
  'file-unreadable', // a folder, no permission, I/O error
  'file-empty', // 0 bytes
  'not-audio', // no known audio signature (text, image, random bytes)
  'unsupported-format', // a known container bioprobe does not read (RIFX, MP4, RIFF that is not WAVE, ...)
  'unsupported-codec', // a known container with a codec bioprobe does not decode (WAV GSM/WMA, Ogg Opus, AIFF-C ima4, ...)
  'truncated', // the file ends inside its header or before one whole sample frame
  'bad-header', // impossible format fields (0 channels, 0 bits, no fmt chunk, ...)
  'bad-sample-rate', // sample rate 0 or beyond 10 MHz
  'no-audio-data', // a valid header but no samples
  'decode-failed', // the codec library rejected the stream
  'non-finite', // NaN/Inf samples when the caller asked for nonFinite: 'error'
  'channel-out-of-range', // the `channel` option names a channel the file does not have
  'segment-invalid', // start/end not finite numbers
  'segment-inverted', // end <= start
  'segment-out-of-range', // segment starts before 0 or beyond the end of the file
] as const;

export type AudioErrorCode = (typeof AUDIO_ERROR_CODES)[number];

/** Build the AudioError for `code` about `file`. */
export function audioError(code: AudioErrorCode, file: string, message: string, hint?: string, cause?: unknown): AudioError {
  return new AudioError(code, message, { file, hint, cause });
}

/** True when `err` is an AudioError (what a clip loop should catch and record, not rethrow). */
export function isAudioError(err: unknown): err is AudioError {
  return err instanceof AudioError;
}

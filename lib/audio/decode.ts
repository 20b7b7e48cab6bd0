/**
 * Decode any supported audio file to mono at its own rate: bytes are sniffed (sniff.ts), then
 * handed to the WAV or AIFF reader or a WebAssembly codec. `readAudio` adds the file system: a missing,
 * empty or unreadable file is an AudioError like any other, never an uncaught exception.
 */
import { readFile } from 'node:fs/promises';
import { audioError } from './errors.js';
import { sniffAudio } from './sniff.js';
import { decodeWav, type WavDecodeOptions } from './wav.js';
import { keepMpeg, libsndfileMpegFrames } from './mpegLength.js';
import { decodeAiff } from './aiff.js';
import { decodeFlac, decodeMpeg, decodeVorbis, type CodecOutput } from './codecs.js';
import type { AudioContainer, DecodedAudio } from './types.js';
import { BioprobeError, type AudioError } from '../util/errors.js';

export type DecodeOptions = WavDecodeOptions;

function fromCodec(out: CodecOutput, container: AudioContainer, codec: string): DecodedAudio {
  return {
    samples: out.samples,
    sampleRate: out.sampleRate,
    channels: out.channels,
    container,
    codec,
    truncated: false,
    nonFinite: 0,
    clipped: out.clipped,
    warnings: out.warnings,
  };
}

/** Decode a whole file's bytes. `file` is used in error messages only. */
export async function decodeAudio(bytes: Uint8Array, file: string, opts: DecodeOptions = {}): Promise<DecodedAudio> {
  if (bytes.length === 0) throw audioError('file-empty', file, 'file is empty (0 bytes)');
  try {
    switch (sniffAudio(bytes, file)) {
      case 'wav':
        return await decodeWav(bytes, file, opts);
      case 'aiff':
        return decodeAiff(bytes, file, opts);
      case 'flac':
        return fromCodec(await decodeFlac(bytes, file, opts.channel), 'flac', 'flac');
      case 'mp3': {
        const out = await decodeMpeg(bytes, file, opts.channel);
        if (opts.mpegLength !== 'stream')
          out.samples = keepMpeg(
            out.samples,
            libsndfileMpegFrames(bytes, 0),
            out.warnings,
            "as librosa reads it (libsndfile: libmpg123's length estimate from the first frame)",
          );
        return fromCodec(out, 'mp3', 'mp3');
      }
      case 'ogg-vorbis':
        return fromCodec(await decodeVorbis(bytes, file, opts.channel), 'ogg', 'vorbis');
    }
  } catch (err) {
    if (err instanceof BioprobeError) throw err;
    // A bug or an unexpected library error on odd bytes must still not take the run down.
    const msg = err instanceof Error ? err.message : String(err);
    throw audioError('decode-failed', file, `could not decode: ${msg.split('\n')[0]}`, undefined, err);
  }
}

/** The AudioError for a failed open/read/stat of `path`. */
export function fileError(err: unknown, path: string): AudioError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return audioError('file-missing', path, 'no such file', 'check the dataset root and the path column');
  const why =
    code === 'EISDIR' ? 'is a folder, not a file' : code === 'EACCES' ? 'permission denied' : `cannot be read (${code ?? String(err)})`;
  return audioError('file-unreadable', path, why, undefined, err);
}

/** Read and decode a file from disk. */
export async function readAudio(path: string, opts: DecodeOptions = {}): Promise<DecodedAudio> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw fileError(err, path);
  }
  return decodeAudio(bytes, path, opts);
}

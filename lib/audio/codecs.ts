/**
 * Compressed codecs through well-kept WebAssembly decoders from npm (no hand-written codecs):
 * MPEG layer I/II/III by mpg123-decoder, FLAC by @wasm-audio-decoders/flac, Ogg Vorbis by
 * @wasm-audio-decoders/ogg-vorbis. A decoder is made per file and freed after it; anything the
 * library throws becomes an AudioError `decode-failed` naming the file.
 */
import { MPEGDecoder } from 'mpg123-decoder';
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { audioError } from './errors.js';
import { BioprobeError } from '../util/errors.js';
import { mpegChannels } from './sniff.js';
import { channelWeights } from './pcm.js';

/** What a codec gives back, already mixed to mono. */
export interface CodecOutput {
  samples: Float32Array;
  sampleRate: number;
  channels: number;
  /** Samples at |x| >= 1 before mixing (decoders clip to full scale). */
  clipped: number;
  warnings: string[];
}

interface RawDecoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: { message: string }[];
}

/** Mix decoded channels to their mean; fail with a precise reason when nothing came out. */
function toMono(raw: RawDecoded, what: string, file: string, channel: number | undefined, channels = raw.channelData.length): CodecOutput {
  const n = raw.samplesDecoded;
  const ch = Math.min(channels, raw.channelData.length);
  const firstError = raw.errors[0]?.message;
  if (n === 0 || ch === 0) {
    throw audioError(
      'decode-failed',
      file,
      `${what} decoder produced no samples${firstError ? `: ${firstError}` : ''}`,
      'is the file complete and really ' + what + '?',
    );
  }
  if (!(raw.sampleRate > 0)) throw audioError('bad-sample-rate', file, `${what} stream has sample rate ${raw.sampleRate}`);
  const out = new Float32Array(n);
  let clipped = 0;
  const weights = channelWeights(ch, channel, file);
  for (let c = 0; c < ch; c++) {
    const data = raw.channelData[c];
    const inv = weights[c];
    if (inv === 0) continue;
    for (let i = 0; i < n; i++) {
      let s = data[i];
      if (s >= 1 || s <= -1) clipped++;
      else if (Number.isNaN(s)) s = 0;
      out[i] += s * inv;
    }
  }
  const warnings = raw.errors.length ? [`${what} decoder skipped ${raw.errors.length} damaged frame(s): ${firstError}`] : [];
  return { samples: out, sampleRate: raw.sampleRate, channels: ch, clipped, warnings };
}

async function guarded<T>(what: string, file: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof BioprobeError) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    throw audioError('decode-failed', file, `${what} decoder failed: ${msg.split('\n')[0]}`, undefined, err);
  }
}

/** MPEG audio (an .mp3 file, or the data chunk of a WAV with format 0x55). */
export function decodeMpeg(bytes: Uint8Array, file: string, channel?: number): Promise<CodecOutput> {
  return guarded('MPEG', file, async () => {
    const dec = new MPEGDecoder();
    const log = console.error;
    try {
      await dec.ready;
      // mpg123-decoder also prints each frame error to stderr; they are returned in `errors` anyway.
      console.error = () => {};
      const raw = dec.decode(bytes);
      console.error = log;
      // The decoder always returns two channels; a mono stream's two are copies of one.
      return toMono(raw, 'MPEG', file, channel, mpegChannels(bytes) === 1 ? 1 : 2);
    } finally {
      console.error = log;
      dec.free();
    }
  });
}

/** A native FLAC file. */
export function decodeFlac(bytes: Uint8Array, file: string, channel?: number): Promise<CodecOutput> {
  return guarded('FLAC', file, async () => {
    const dec = new FLACDecoder();
    try {
      await dec.ready;
      return toMono(await dec.decodeFile(bytes), 'FLAC', file, channel);
    } finally {
      dec.free();
    }
  });
}

/** An Ogg Vorbis file. */
export function decodeVorbis(bytes: Uint8Array, file: string, channel?: number): Promise<CodecOutput> {
  return guarded('Ogg Vorbis', file, async () => {
    const dec = new OggVorbisDecoder();
    try {
      await dec.ready;
      return toMono(await dec.decodeFile(bytes), 'Ogg Vorbis', file, channel);
    } finally {
      dec.free();
    }
  });
}

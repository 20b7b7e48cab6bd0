/**
 * Uncompressed sample formats -> mono mean: integer PCM of 1..4 bytes (signed, or unsigned 8-bit as
 * WAV stores it), IEEE float 32/64, G.711 A-law/mu-law; little- (WAV) or big-endian (AIFF).
 * Integers are scaled by the container's full scale 2^(8*bytes-1); counts clipped and NaN/Inf samples.
 */
import { audioError } from './errors.js';
import { ALAW_TABLE, MULAW_TABLE } from './g711.js';

export type SampleKind = 'int' | 'uint' | 'float' | 'alaw' | 'mulaw';

export interface FrameLayout {
  frames: number;
  /** Bytes from one frame to the next (block align). */
  frameBytes: number;
  channels: number;
  /** Bytes per sample: 1..4 for integers, 4 or 8 for float, 1 for G.711. */
  bytesPer: number;
  kind: SampleKind;
  littleEndian: boolean;
  /** Weight of each channel in the mix (default: the mean, 1/channels each); see channelWeights. */
  weights?: Float64Array;
}

/**
 * Mixing weights: the channel mean (SPEC.md), or one channel when `channel` (0-based) is given.
 * Throws AudioError `channel-out-of-range` when the file has no such channel.
 */
export function channelWeights(channels: number, channel: number | undefined, file: string): Float64Array {
  if (channel === undefined) return new Float64Array(channels).fill(1 / channels);
  if (!Number.isInteger(channel) || channel < 0 || channel >= channels) {
    throw audioError(
      'channel-out-of-range',
      file,
      `channel ${channel} asked, the file has ${channels} channel${channels === 1 ? '' : 's'} (0-based)`,
    );
  }
  const w = new Float64Array(channels);
  w[channel] = 1;
  return w;
}

/** Convert interleaved frames to the mono mean. NaN/Inf become 0 (counted) or an AudioError `non-finite`. */
export function interleavedToMono(
  data: Uint8Array,
  f: FrameLayout,
  nonFinite: 'zero' | 'error',
  file: string,
): { samples: Float32Array; nonFinite: number; clipped: number } {
  const { frames, frameBytes, channels, bytesPer, kind, littleEndian: le } = f;
  const out = new Float32Array(frames);
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const weights = f.weights ?? channelWeights(channels, undefined, file);
  let clipped = 0;
  let bad = 0;
  for (let c = 0; c < channels; c++) {
    const inv = weights[c];
    if (inv === 0) continue;
    let pos = c * bytesPer;
    if (kind === 'int' && bytesPer === 2) {
      for (let i = 0; i < frames; i++, pos += frameBytes) {
        const s = v.getInt16(pos, le);
        if (s === 32767 || s === -32768) clipped++;
        out[i] += s * (inv / 32768);
      }
    } else if ((kind === 'uint' || kind === 'int') && bytesPer === 1) {
      const offset = kind === 'uint' ? 128 : 0;
      for (let i = 0; i < frames; i++, pos += frameBytes) {
        const s = kind === 'uint' ? data[pos] - offset : (data[pos] << 24) >> 24;
        if (s === 127 || s === -128) clipped++;
        out[i] += s * (inv / 128);
      }
    } else if (kind === 'int' && bytesPer === 3) {
      for (let i = 0; i < frames; i++, pos += frameBytes) {
        const s = le
          ? ((data[pos] | (data[pos + 1] << 8) | (data[pos + 2] << 16)) << 8) >> 8
          : ((data[pos + 2] | (data[pos + 1] << 8) | (data[pos] << 16)) << 8) >> 8;
        if (s === 8388607 || s === -8388608) clipped++;
        out[i] += s * (inv / 8388608);
      }
    } else if (kind === 'int' && bytesPer === 4) {
      for (let i = 0; i < frames; i++, pos += frameBytes) {
        const s = v.getInt32(pos, le);
        if (s === 2147483647 || s === -2147483648) clipped++;
        out[i] += s * (inv / 2147483648);
      }
    } else if (kind === 'alaw' || kind === 'mulaw') {
      const t = kind === 'alaw' ? ALAW_TABLE : MULAW_TABLE;
      for (let i = 0; i < frames; i++, pos += frameBytes) out[i] += t[data[pos]] * inv;
    } else if (kind === 'float') {
      for (let i = 0; i < frames; i++, pos += frameBytes) {
        let s = bytesPer === 4 ? v.getFloat32(pos, le) : v.getFloat64(pos, le);
        if (!Number.isFinite(s)) {
          if (nonFinite === 'error') throw audioError('non-finite', file, `float sample ${i} of channel ${c} is ${s}`);
          bad++;
          s = 0;
        } else if (s >= 1 || s <= -1) clipped++;
        out[i] += s * inv;
      }
    } else {
      throw audioError('bad-header', file, `${bytesPer}-byte ${kind} samples are not supported`);
    }
  }
  return { samples: out, nonFinite: bad, clipped };
}

/**
 * The two 4-bit ADPCM codecs old field and voice recorders write into WAV files: IMA/DVI ADPCM
 * (format 0x11) and Microsoft ADPCM (0x02), as specified by the IMA Digital Audio Focus group and
 * Microsoft's RIFF multimedia docs (the same algorithms SoX uses; checked sample-exact against SoX
 * in test/audio/adpcm.test.ts). Blocks of `blockAlign` bytes decode to 16-bit values, averaged over
 * channels into mono (or one channel picked, by `weights`) and scaled by 1/32768. A short last block is decoded as far as it goes.
 */

const IMA_INDEX = [-1, -1, -1, -1, 2, 4, 6, 8, -1, -1, -1, -1, 2, 4, 6, 8];
const IMA_STEP = [
  7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 31, 34, 37, 41, 45, 50, 55, 60, 66, 73, 80, 88, 97, 107, 118, 130, 143, 157, 173,
  190, 209, 230, 253, 279, 307, 337, 371, 408, 449, 494, 544, 598, 658, 724, 796, 876, 963, 1060, 1166, 1282, 1411, 1552, 1707, 1878, 2066,
  2272, 2499, 2749, 3024, 3327, 3660, 4026, 4428, 4871, 5358, 5894, 6484, 7132, 7845, 8630, 9493, 10442, 11487, 12635, 13899, 15289, 16818,
  18500, 20350, 22385, 24623, 27086, 29794, 32767,
];
const MS_ADAPT = [230, 230, 230, 230, 307, 409, 512, 614, 768, 614, 512, 409, 307, 230, 230, 230];
const MS_COEFS: [number, number][] = [
  [256, 0],
  [512, -256],
  [0, 0],
  [192, 64],
  [240, 0],
  [460, -208],
  [392, -232],
];

const clamp16 = (x: number) => (x > 32767 ? 32767 : Math.max(x, -32768));

/** Frames in `n` bytes of IMA ADPCM: full blocks plus the decodable part of a short last one (what decodeImaAdpcm returns). */
export function imaAdpcmFrames(n: number, block: number, ch: number): number {
  const per = ((block - 4 * ch) * 2) / ch + 1;
  const full = Math.floor(n / block);
  const rest = n - full * block;
  const partial = rest >= 4 * ch ? 1 + 8 * Math.floor((rest - 4 * ch) / (4 * ch)) : 0;
  return full * per + partial;
}

/** IMA ADPCM -> mono mean. Per block and channel: int16 predictor, step index, reserved; then 4-byte groups per channel. */
export function decodeImaAdpcm(bytes: Uint8Array, blockAlign: number, channels: number, weights: Float64Array): Float32Array {
  const out = new Float32Array(imaAdpcmFrames(bytes.length, blockAlign, channels));
  let frame = 0;
  for (let b = 0; b < bytes.length && frame < out.length; b += blockAlign) {
    const end = Math.min(bytes.length, b + blockAlign);
    let blockFrames = 0;
    for (let c = 0; c < channels; c++) {
      const scale = weights[c] / 32768;
      const h = b + 4 * c;
      let pred = ((bytes[h] | (bytes[h + 1] << 8)) << 16) >> 16;
      let index = Math.min(88, bytes[h + 2]);
      out[frame] += pred * scale;
      let f = frame + 1;
      // Groups of 4 bytes (8 nibbles, low nibble first) for this channel, every 4 * channels bytes.
      for (let g = b + 4 * channels + 4 * c; g + 4 <= end; g += 4 * channels) {
        for (let i = 0; i < 4; i++) {
          const byte = bytes[g + i];
          for (let s = 0; s < 2; s++) {
            const nib = s === 0 ? byte & 15 : byte >> 4;
            const step = IMA_STEP[index];
            let diff = step >> 3;
            if (nib & 4) diff += step;
            if (nib & 2) diff += step >> 1;
            if (nib & 1) diff += step >> 2;
            pred = clamp16(nib & 8 ? pred - diff : pred + diff);
            index = Math.min(88, Math.max(0, index + IMA_INDEX[nib]));
            if (f < out.length) out[f] += pred * scale;
            f++;
          }
        }
      }
      blockFrames = f - frame;
    }
    frame += blockFrames;
  }
  return out;
}

/** Frames in `n` bytes of MS ADPCM: full blocks plus the decodable part of a short last one (what decodeMsAdpcm returns). */
export function msAdpcmFrames(n: number, block: number, ch: number): number {
  const head = 7 * ch;
  const full = Math.floor(n / block);
  const rest = n - full * block;
  const perBlock = ((block - head) * 2) / ch + 2;
  // Whole frames only: a block whose nibbles do not split evenly over the channels (a damaged header) gives a fraction.
  return Math.floor(full * perBlock + (rest >= head ? 2 + Math.floor(((rest - head) * 2) / ch) : 0));
}

/** MS ADPCM coefficient pairs from the fmt extra bytes (wSamplesPerBlock, wNumCoef, pairs), else the 7 standard ones. */
function msCoefs(extra: Uint8Array): [number, number][] {
  if (extra.length < 4) return MS_COEFS;
  const v = new DataView(extra.buffer, extra.byteOffset, extra.byteLength);
  const n = v.getUint16(2, true);
  if (n === 0 || extra.length < 4 + 4 * n) return MS_COEFS;
  return Array.from({ length: n }, (_, i) => [v.getInt16(4 + 4 * i, true), v.getInt16(6 + 4 * i, true)] as [number, number]);
}

/** MS ADPCM -> mono mean. Block header per channel: predictor index, delta, sample1, sample2 (sample2 is output first). */
export function decodeMsAdpcm(
  bytes: Uint8Array,
  blockAlign: number,
  channels: number,
  extra: Uint8Array,
  weights: Float64Array,
): Float32Array {
  const coefs = msCoefs(extra);
  const head = 7 * channels;
  const out = new Float32Array(msAdpcmFrames(bytes.length, blockAlign, channels));
  const scale = Float64Array.from(weights, (w) => w / 32768);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const c1 = new Int32Array(channels),
    c2 = new Int32Array(channels),
    delta = new Int32Array(channels);
  const s1 = new Int32Array(channels),
    s2 = new Int32Array(channels);
  let frame = 0;
  for (let b = 0; b + head <= bytes.length; b += blockAlign) {
    const end = Math.min(bytes.length, b + blockAlign);
    for (let c = 0; c < channels; c++) {
      const [a1, a2] = coefs[Math.min(bytes[b + c], coefs.length - 1)];
      c1[c] = a1;
      c2[c] = a2;
      delta[c] = v.getInt16(b + channels + 2 * c, true);
      s1[c] = v.getInt16(b + 3 * channels + 2 * c, true);
      s2[c] = v.getInt16(b + 5 * channels + 2 * c, true);
      out[frame] += s2[c] * scale[c];
      out[frame + 1] += s1[c] * scale[c];
    }
    frame += 2;
    // Nibbles, high first, interleaved over channels.
    let c = 0;
    for (let p = b + head; p < end; p++) {
      for (let s = 0; s < 2; s++) {
        const nib = s === 0 ? bytes[p] >> 4 : bytes[p] & 15;
        const signed = nib & 8 ? nib - 16 : nib;
        const pred = clamp16(((s1[c] * c1[c] + s2[c] * c2[c]) >> 8) + signed * delta[c]);
        s2[c] = s1[c];
        s1[c] = pred;
        delta[c] = Math.max(16, (MS_ADAPT[nib] * delta[c]) >> 8);
        if (frame < out.length) out[frame] += pred * scale[c];
        if (++c === channels) {
          c = 0;
          frame++;
        }
      }
    }
  }
  return out;
}

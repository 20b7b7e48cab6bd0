/**
 * G.711 A-law and mu-law expansion (ITU-T G.711, the classic Sun/CCITT reference code) to
 * 16-bit linear values scaled by 1/32768, as 256-entry tables.
 */

function alawToLinear(byte: number): number {
  const a = byte ^ 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

function mulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  let t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

function table(f: (b: number) => number): Float32Array {
  const t = new Float32Array(256);
  for (let b = 0; b < 256; b++) t[b] = f(b) / 32768;
  return t;
}

/** A-law byte -> sample in [-1, 1). */
export const ALAW_TABLE = table(alawToLinear);
/** mu-law byte -> sample in [-1, 1). */
export const MULAW_TABLE = table(mulawToLinear);

/**
 * Writing 16-bit PCM mono WAV bytes (a plain 44-byte RIFF header), deterministic to the byte: the
 * synthetic dataset's files, notebooks' audio players, test files. The one WAV writer; decoding is wav.ts.
 */

/** Quantise samples in [-1, 1] to 16-bit (round half away from zero, clipped) and wrap them in a WAV. */
export function encodeWavPcm16(samples: ArrayLike<number>, sampleRate: number): Buffer {
  const n = samples.length;
  const buf = Buffer.alloc(44 + 2 * n);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + 2 * n, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(2 * n, 40);
  for (let i = 0; i < n; i++) {
    const v = Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32767)));
    buf.writeInt16LE(v, 44 + 2 * i);
  }
  return buf;
}

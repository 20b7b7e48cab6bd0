/** Reading the probe's PyTorch fixtures: arrays are stored as base64 of little-endian float32. */
export function f32(b64: string): Float32Array {
  const b = Buffer.from(b64, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
}

/** Shared by the checkpoint tests: fixture paths, the torch-made manifests, hashing. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type { DType, TensorSource } from '../../lib/checkpoint/index.js';

export const FIX = join(import.meta.dirname, '..', 'fixtures', 'checkpoints');
export const fix = (...p: string[]) => join(FIX, ...p);

export interface TensorRecord {
  dtype: string;
  shape: number[];
  sha256: string;
  sha256_f32: string;
  sum: number;
}
export interface Manifest {
  tensors: Record<string, TensorRecord>;
  parameters: number;
  encoder_parameters?: number | null;
  made_by?: string;
}

export function manifest(file: string): Manifest {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** torch dtype names (as the tools script records them) -> ours. */
export const TORCH_DTYPE: Record<string, DType> = {
  float32: 'F32',
  float64: 'F64',
  float16: 'F16',
  bfloat16: 'BF16',
  int64: 'I64',
  int32: 'I32',
  int16: 'I16',
  int8: 'I8',
  uint8: 'U8',
  bool: 'BOOL',
  uint16: 'U16',
};

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
export const f32bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Every tensor of `src` equals what torch recorded: same names, dtype, shape, bytes and float32 values. */
export function assertMatchesManifest(src: TensorSource, m: Manifest, label: string): void {
  assert.deepEqual([...src.names()].sort(), Object.keys(m.tensors).sort(), `${label}: tensor names`);
  for (const [name, rec] of Object.entries(m.tensors)) {
    const info = src.info(name);
    assert.equal(info.dtype, TORCH_DTYPE[rec.dtype], `${label} ${name}: dtype`);
    assert.deepEqual(info.shape, rec.shape, `${label} ${name}: shape`);
    assert.equal(sha256(src.bytes(name)), rec.sha256, `${label} ${name}: bytes`);
    assert.equal(sha256(f32bytes(src.float32(name))), rec.sha256_f32, `${label} ${name}: float32 values`);
  }
}

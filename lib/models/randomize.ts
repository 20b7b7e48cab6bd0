/**
 * The random-weights control: a copy of a model whose every weight tensor has its values shuffled
 * (a seeded permutation per tensor). Architecture, per-tensor value distributions and scales stay
 * those of the trained model; what training learned (which weight sits where) is destroyed. Probing
 * its layers tells how much of a result comes from the architecture and the input alone.
 *
 * The permutation is done in place on the raw bytes of the file (same length), so the copy is
 * otherwise byte-identical. Weights in external data files are not shuffled (reported as skipped).
 * Copies are cached in `<cacheDir>/models/random/<sha256[:16]>-seed<k>/model.onnx`.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataType, loadModel, toNumber, type TensorProto } from '../onnx/proto.js';
import { ModelError } from '../util/errors.js';
import { defaultCacheDir } from '../util/cache.js';
import { sha256File } from '../util/hash.js';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic.js';

export interface RandomizeOptions {
  seed?: number;
  cacheDir?: string;
}

export interface RandomizedModel {
  format: 'bioprobe.randomized/1';
  source: string;
  sourceSha256: string;
  seed: number;
  path: string;
  /** Number of weight tensors shuffled. */
  shuffled: number;
  /** Weight tensors left as they were (external data or non-raw storage). */
  skipped: string[];
}

const ELEMENT_BYTES: Record<number, number> = { [DataType.FLOAT]: 4, [DataType.FLOAT16]: 2, [DataType.DOUBLE]: 8, [DataType.BFLOAT16]: 2 };

/** xorshift32 seeded from (seed, tensor index): no global RNG state. */
function rng(seed: number, index: number): () => number {
  let s = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

/** Fisher-Yates over elements of `size` bytes, in place. */
function shuffleElements(bytes: Uint8Array, size: number, next: () => number): void {
  const n = bytes.length / size;
  const tmp = new Uint8Array(size);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    if (j === i) continue;
    tmp.set(bytes.subarray(i * size, i * size + size));
    bytes.copyWithin(i * size, j * size, j * size + size);
    bytes.set(tmp, j * size);
  }
}

function elements(t: TensorProto): number {
  return (t.dims ?? []).reduce<number>((p, d) => p * toNumber(d as number), 1);
}

/** Write (or reuse) the weight-shuffled copy of `source`. */
export async function randomizeWeights(source: string, opts: RandomizeOptions = {}): Promise<RandomizedModel> {
  const seed = opts.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0) throw new ModelError('bad-seed', `seed must be a non-negative integer, got ${seed}`);
  const sourceSha256 = await sha256File(source);
  const dir = join(opts.cacheDir ?? defaultCacheDir(process.env), 'models', 'random', `${sourceSha256.slice(0, 16)}-seed${seed}`);
  const infoPath = join(dir, 'random.json');
  if (existsSync(infoPath)) {
    const info = JSON.parse(readFileSync(infoPath, 'utf8')) as RandomizedModel;
    if (info.sourceSha256 === sourceSha256 && existsSync(info.path)) return info;
  }
  const { bytes, model } = loadModel(source);
  let shuffled = 0;
  const skipped: string[] = [];
  (model.graph?.initializer ?? []).forEach((t, index) => {
    const size = ELEMENT_BYTES[t.dataType ?? 0];
    if (!size || elements(t) <= 1) return;
    const raw = t.rawData;
    if (!raw || raw.length !== elements(t) * size || raw.buffer !== bytes.buffer) {
      skipped.push(t.name ?? `#${index}`);
      return;
    }
    shuffleElements(raw, size, rng(seed, index)); // raw is a view into `bytes`
    shuffled++;
  });
  if (shuffled === 0) throw new ModelError('no-weights', 'no weight tensors stored inline to shuffle', { file: source });
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'model.onnx');
  writeFileAtomic(path, bytes);
  const info: RandomizedModel = { format: 'bioprobe.randomized/1', source: resolve(source), sourceSha256, seed, path, shuffled, skipped };
  writeJsonAtomic(infoPath, info, 1);
  return info;
}

/**
 * From a features directory to the trainer's stacks: class list, split parts, and per layer the
 * standardised rows (train-split mean and unbiased std: (x - mu) / (sd + 1e-10), SPEC.md) written
 * straight into the stacked [L, n, D] buffers, so memory holds the stacks and nothing else.
 *
 * The split is computed over every item of clips.csv (the paper splits all items), then clips whose
 * status is not `ok` are dropped from each part. Rows within a part are in dataset order.
 */
import { checkClassList, defaultClasses } from '../datasets/classes.js';
import { readNpyRows } from '../util/npy.js';
import { BioprobeError } from '../util/errors.js';
import type { SplitName } from '../datasets/split.js';
import { layerPath, type FeatureSet } from './features.js';
import type { StackData } from './trainer.js';

export interface Partition {
  /** The class map: class i is output i of the probe (may hold classes no clip has). */
  classes: string[];
  /** Class index per clip (-1 for excluded clips). */
  y: Int32Array;
  /** Clip indices of each part, ascending, ok clips only. */
  train: Int32Array;
  val: Int32Array;
  test: Int32Array;
}

/**
 * The class map a probe uses: `given` (the --classes option), else the features' classes.json, else the
 * ok clips' labels in the datasets' default order (numbers by value, then names).
 */
export function probeClasses(fs: FeatureSet, given?: readonly string[]): string[] {
  if (given) return checkClassList(given, '--classes');
  return fs.classes ?? defaultClasses(fs.clips.filter((c) => c.record.status === 'ok').map((c) => c.item.label));
}

/** The parts of `split` restricted to ok clips, and each clip's class index in the map `classes` (probeClasses). */
export function partition(fs: FeatureSet, split: readonly SplitName[], classes: readonly string[] = probeClasses(fs)): Partition {
  if (split.length !== fs.count)
    throw new BioprobeError('probe', 'split-size', `split has ${split.length} entries but the features have ${fs.count} clips`);
  const ok = fs.clips.map((c) => c.record.status === 'ok');
  const cls = new Map(classes.map((c, i) => [c, i]));
  const unknown = fs.clips.find((c, i) => ok[i] && !cls.has(c.item.label))?.item;
  if (unknown) {
    throw new BioprobeError(
      'probe',
      'label-unknown',
      `clip ${unknown.index} (${unknown.path}) has label "${unknown.label}", which is not in the class map [${classes.join(', ')}]`,
      {
        file: fs.dir,
        hint: 'give a class list that holds every label (--classes), or fix classes.json',
      },
    );
  }
  const present = new Set(fs.clips.filter((_c, i) => ok[i]).map((c) => c.item.label));
  const y = Int32Array.from(fs.clips, (c, i) => (ok[i] ? cls.get(c.item.label)! : -1));
  const part = (name: SplitName) => Int32Array.from(fs.clips.map((_, i) => i).filter((i) => ok[i] && split[i] === name));
  const p = { classes: [...classes], y, train: part('train'), val: part('val'), test: part('test') };
  if (p.train.length < 2)
    throw new BioprobeError('probe', 'split-empty', `the train split has ${p.train.length} usable clips; at least 2 are needed`, {
      file: fs.dir,
    });
  if (p.val.length === 0) throw new BioprobeError('probe', 'split-empty', 'the val split has no usable clips', { file: fs.dir });
  if (p.test.length === 0) throw new BioprobeError('probe', 'split-empty', 'the test split has no usable clips', { file: fs.dir });
  if (present.size < 2)
    throw new BioprobeError('probe', 'one-class', `the features have ${present.size} class among usable clips; probing needs 2 or more`, {
      file: fs.dir,
    });
  return p;
}

/** Standardise rows [n, D] of each part in place with the train part's statistics (float64 sums). */
export function standardise(train: Float32Array, others: Float32Array[], D: number): void {
  const n = train.length / D;
  const mu = new Float64Array(D);
  const ss = new Float64Array(D);
  for (let i = 0; i < n; i++) for (let d = 0; d < D; d++) mu[d] += train[i * D + d];
  for (let d = 0; d < D; d++) mu[d] /= n;
  for (let i = 0; i < n; i++)
    for (let d = 0; d < D; d++) {
      const e = train[i * D + d] - mu[d];
      ss[d] += e * e;
    }
  const den = Float64Array.from(ss, (s) => Math.sqrt(s / (n - 1)) + 1e-10);
  for (const a of [train, ...others]) {
    const m = a.length / D;
    for (let i = 0; i < m; i++) for (let d = 0; d < D; d++) a[i * D + d] = (a[i * D + d] - mu[d]) / den[d];
  }
}

/** Rows per read when copying a layer file into the stacks. */
const CHUNK_ROWS = 4096;

/** Read `layers` into standardised stacks (one layer file read at a time, in chunks). */
export function loadStack(fs: FeatureSet, p: Partition, layers: readonly number[]): StackData {
  const L = layers.length;
  const D = fs.dim;
  const alloc = (n: number) => new Float32Array(L * n * D);
  const out: StackData = {
    L,
    D,
    C: p.classes.length,
    train: { X: alloc(p.train.length), y: Int32Array.from(p.train, (i) => p.y[i]) },
    val: { X: alloc(p.val.length), y: Int32Array.from(p.val, (i) => p.y[i]) },
    test: { X: alloc(p.test.length), y: Int32Array.from(p.test, (i) => p.y[i]) },
  };
  // where each clip goes: part (0 train, 1 val, 2 test) and row
  const dest = new Int32Array(fs.count).fill(-1);
  const partOf = new Int8Array(fs.count).fill(-1);
  [p.train, p.val, p.test].forEach((idx, k) =>
    idx.forEach((c, r) => {
      dest[c] = r;
      partOf[c] = k;
    }),
  );
  const parts = [out.train, out.val, out.test];
  layers.forEach((layer, l) => {
    const views = parts.map((s) => s.X.subarray(l * s.y.length * D, (l + 1) * s.y.length * D));
    const file = layerPath(fs, layer);
    for (let start = 0; start < fs.count; start += CHUNK_ROWS) {
      const { data } = readNpyRows(file, start, Math.min(fs.count, start + CHUNK_ROWS));
      const rows = data.length / D;
      for (let r = 0; r < rows; r++) {
        const c = start + r;
        if (partOf[c] < 0) continue;
        const row = data.subarray(r * D, (r + 1) * D);
        for (let d = 0; d < D; d++) {
          if (!Number.isFinite(row[d]))
            throw new BioprobeError('features', 'not-finite', `clip ${c} has a non-finite value in dimension ${d}`, { file });
        }
        views[partOf[c]].set(row, dest[c] * D);
      }
    }
    standardise(views[0], [views[1], views[2]], D);
  });
  return out;
}

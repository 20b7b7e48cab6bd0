/**
 * The GEMMs of the CKA computations, as small ONNX graphs run by onnxruntime (bioprobe's one numeric
 * stack: no other BLAS). Row counts are symbolic, so one session serves every row block. Sessions are
 * cached per graph shape for the lifetime of a `Gemm` and released together.
 *
 * Inputs are JavaScript arrays wrapped without a copy; intermediates live in onnxruntime's arena
 * (reused from the second call on); outputs arrive in fresh memory. On machines where touching fresh
 * memory is slow (page faults cost ~10 ms per MB on the 2-core VM of docs/BENCHMARKS.md) the graphs are
 * shaped to return little: a layer's Gram or sketch, never its rows.
 *
 * Here, the exact mode's products and the small dense ones (the low-rank mode's are in lowrankGraphs.ts):
 * - `gramBlocks`: ZᵀZ of a row block as block columns of its upper triangle.
 * - `cross`: AᵀB of two row blocks.  `rowGram`: V Vᵀ (the sample-space kernel).
 * - `matmul`: A B (or AᵀB) of small dense matrices.
 * `dtype` 'float64' casts inside the graph and multiplies in double precision (exact mode).
 */
import * as ort from 'onnxruntime-node';
import { GraphBuilder, type Elem } from '../onnx/builder.js';
import { createSession } from '../runtime/session.js';

export type Dtype = 'float32' | 'float64';

/** How a float32 row block is prepared inside a graph before the product. */
export interface Prep {
  dtype: Dtype;
  /** Subtract a [1, P] row (`mu`, in `dtype`). */
  centre: boolean;
  /** Multiply by a [1, P] row (`scale`, in `dtype`). */
  scale: boolean;
}

type Feeds = Record<string, ort.Tensor>;

/** Prepared input: Cast, Sub, Mul as asked. Returns the value name. */
function prepare(g: GraphBuilder, x: string, prep: Prep, suffix: string): { value: string; inputs: string[] } {
  const inputs: string[] = [];
  let v = prep.dtype === 'float64' ? g.op('Cast', [x], { to: { i: 11 } }) : x;
  if (prep.centre) {
    inputs.push(g.input(`mu${suffix}`, prep.dtype, [1, null]));
    v = g.sub(v, `mu${suffix}`);
  }
  if (prep.scale) {
    inputs.push(g.input(`scale${suffix}`, prep.dtype, [1, null]));
    v = g.mul(v, `scale${suffix}`);
  }
  return { value: v, inputs };
}

function rowTensor(values: Float64Array, dtype: Dtype): ort.Tensor {
  return dtype === 'float64'
    ? new ort.Tensor('float64', values, [1, values.length])
    : new ort.Tensor('float32', Float32Array.from(values), [1, values.length]);
}

/** The graph-level options of one product (which extra inputs it takes). */
export interface PrepValues {
  mu?: Float64Array;
  scale?: Float64Array;
}

/** onnxruntime sessions for the CKA's products, built on demand and cached by shape. */
export class Gemm {
  private readonly sessions = new Map<string, Promise<ort.InferenceSession>>();
  /** Multiply-adds issued so far (for the cost record and the benchmark's GEMM rate). */
  macs = 0;

  constructor(readonly threads?: number) {}

  /** The session of graph `key`, built by `build` on first use. */
  session(key: string, build: () => Uint8Array): Promise<ort.InferenceSession> {
    let s = this.sessions.get(key);
    if (!s) {
      s = createSession(build(), { threads: this.threads }, `cka:${key}`);
      this.sessions.set(key, s);
    }
    return s;
  }

  /**
   * Upper-triangle block columns of ZᵀZ for a row block z [n, P] (P = last bound): returns one array per
   * block j, shaped [end_j, end_j - start_j] row-major, in `prep.dtype`. Also the column sums of the
   * prepared block when `colSums` (the low-rank mode's shifted sums).
   */
  async gramBlocks(
    z: Float32Array,
    rows: number,
    bounds: readonly number[],
    prep: Prep,
    values: PrepValues = {},
    colSums = false,
  ): Promise<{ blocks: (Float32Array | Float64Array)[]; sums?: Float32Array | Float64Array }> {
    const P = bounds[bounds.length - 1];
    const key = `gram:${bounds.join(',')}:${prep.dtype}:${+prep.centre}${+prep.scale}:${+colSums}`;
    const s = await this.session(key, () => {
      const g = new GraphBuilder(prep.dtype);
      g.input('z', 'float32', ['n', P]);
      const { value } = prepare(g, 'z', prep, '');
      const zt = g.op('Transpose', [value], { perm: { ints: [1, 0] } });
      const axis0 = g.constI([0], [1]);
      const axis1 = g.constI([1], [1]);
      for (let j = 1; j < bounds.length; j++) {
        const a = g.op('Slice', [zt, g.constI([0], [1]), g.constI([bounds[j]], [1]), axis0]);
        const b = g.op('Slice', [value, g.constI([bounds[j - 1]], [1]), g.constI([bounds[j]], [1]), axis1]);
        g.output(g.matmul(a, b), `g${j - 1}`, prep.dtype as Elem, [bounds[j], bounds[j] - bounds[j - 1]]);
      }
      if (colSums) g.output(g.sum(value, [0], 0), 'sums', prep.dtype as Elem, [P]);
      return g.model('cka-gram');
    });
    const feeds: Feeds = { z: new ort.Tensor('float32', z.subarray(0, rows * P), [rows, P]) };
    if (prep.centre) feeds.mu = rowTensor(values.mu!, prep.dtype);
    if (prep.scale) feeds.scale = rowTensor(values.scale!, prep.dtype);
    const out = await s.run(feeds);
    for (let j = 1; j < bounds.length; j++) this.macs += rows * bounds[j] * (bounds[j] - bounds[j - 1]);
    const blocks = bounds.slice(1).map((_, j) => out[`g${j}`].data as Float32Array | Float64Array);
    return { blocks, sums: colSums ? (out.sums.data as Float32Array | Float64Array) : undefined };
  }

  /** AᵀB for row blocks a [n, Pa] and b [n, Pb], each prepared as asked; result [Pa, Pb] in `dtype`. */
  async cross(
    a: Float32Array,
    pa: number,
    b: Float32Array,
    pb: number,
    rows: number,
    prep: Prep,
    va: PrepValues,
    vb: PrepValues,
  ): Promise<Float32Array | Float64Array> {
    const key = `cross:${pa}:${pb}:${prep.dtype}:${+prep.centre}${+prep.scale}`;
    const s = await this.session(key, () => {
      const g = new GraphBuilder(prep.dtype);
      g.input('a', 'float32', ['n', pa]);
      g.input('b', 'float32', ['n', pb]);
      const A = prepare(g, 'a', prep, 'a').value;
      const B = prepare(g, 'b', prep, 'b').value;
      g.output(g.matmul(g.op('Transpose', [A], { perm: { ints: [1, 0] } }), B), 'c', prep.dtype as Elem, [pa, pb]);
      return g.model('cka-cross');
    });
    const feeds: Feeds = {
      a: new ort.Tensor('float32', a.subarray(0, rows * pa), [rows, pa]),
      b: new ort.Tensor('float32', b.subarray(0, rows * pb), [rows, pb]),
    };
    if (prep.centre) {
      feeds.mua = rowTensor(va.mu!, prep.dtype);
      feeds.mub = rowTensor(vb.mu!, prep.dtype);
    }
    if (prep.scale) {
      feeds.scalea = rowTensor(va.scale!, prep.dtype);
      feeds.scaleb = rowTensor(vb.scale!, prep.dtype);
    }
    const out = await s.run(feeds);
    this.macs += rows * pa * pb;
    return out.c.data as Float32Array | Float64Array;
  }

  /** A [m, k] times B [k, n] (or Aᵀ B with A [k, m] when `transA`), both in `dtype`. */
  async matmul(
    a: Float32Array | Float64Array,
    b: Float32Array | Float64Array,
    m: number,
    k: number,
    n: number,
    dtype: Dtype,
    transA = false,
  ): Promise<Float32Array | Float64Array> {
    const key = `matmul:${dtype}:${+transA}`;
    const s = await this.session(key, () => {
      const g = new GraphBuilder(dtype);
      g.input('a', dtype, transA ? ['k', 'm'] : ['m', 'k']);
      g.input('b', dtype, ['k', 'n']);
      const A = transA ? g.op('Transpose', ['a'], { perm: { ints: [1, 0] } }) : 'a';
      g.output(g.matmul(A, 'b'), 'c', dtype, ['m', 'n']);
      return g.model('cka-matmul');
    });
    const T = (d: Float32Array | Float64Array, dims: number[]) =>
      dtype === 'float64'
        ? new ort.Tensor('float64', d instanceof Float64Array ? d : Float64Array.from(d), dims)
        : new ort.Tensor('float32', d instanceof Float32Array ? d : Float32Array.from(d), dims);
    const out = await s.run({ a: T(a, transA ? [k, m] : [m, k]), b: T(b, [k, n]) });
    this.macs += m * k * n;
    return out.c.data as Float32Array | Float64Array;
  }

  /**
   * The row Gram V Vᵀ [n, n] of a block x [n, p] prepared as asked (float64 centre and scale: the exact
   * sample-space kernel K = X_c X_cᵀ), or of a float64 matrix given as `x64`.
   */
  async rowGram(x: Float32Array | Float64Array, rows: number, p: number, prep: Prep, values: PrepValues = {}): Promise<Float64Array> {
    const f64in = x instanceof Float64Array;
    const key = `rowgram:${p}:${+f64in}:${prep.dtype}:${+prep.centre}${+prep.scale}`;
    const s = await this.session(key, () => {
      const g = new GraphBuilder(prep.dtype);
      g.input('x', f64in ? 'float64' : 'float32', ['n', p]);
      const { value } = f64in ? { value: 'x' } : prepare(g, 'x', prep, '');
      g.output(g.matmul(value, g.op('Transpose', [value], { perm: { ints: [1, 0] } })), 'k', prep.dtype as Elem, ['n', 'n']);
      return g.model('cka-rowgram');
    });
    const feeds: Feeds = {
      x: f64in
        ? new ort.Tensor('float64', x.subarray(0, rows * p), [rows, p])
        : new ort.Tensor('float32', x.subarray(0, rows * p) as Float32Array, [rows, p]),
    };
    if (!f64in && prep.centre) feeds.mu = rowTensor(values.mu!, prep.dtype);
    if (!f64in && prep.scale) feeds.scale = rowTensor(values.scale!, prep.dtype);
    const out = await s.run(feeds);
    this.macs += rows * rows * p;
    return out.k.data as Float64Array;
  }

  /** Release every session. */
  async release(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map(async (s) => (await s).release()));
  }
}

/** Column bounds cutting `width` columns into `blocks` near-equal blocks: [0, ..., width]. */
export function equalBounds(width: number, blocks: number): number[] {
  const c = Math.max(1, Math.min(blocks, width));
  return Array.from({ length: c + 1 }, (_, j) => Math.round((j * width) / c));
}

/**
 * Add the upper-triangle block columns from `gramBlocks` into a P x P float64 accumulator (row-major).
 * Only entries on or above the diagonal (and the diagonal blocks in full) are written, contiguously;
 * `symmetrize` fills the lower triangle once at the end.
 */
export function addGramBlocks(
  acc: Float64Array,
  P: number,
  bounds: readonly number[],
  blocks: readonly (Float32Array | Float64Array)[],
): void {
  for (let j = 1; j < bounds.length; j++) {
    const s0 = bounds[j - 1];
    const w = bounds[j] - s0;
    const blk = blocks[j - 1];
    for (let i = 0; i < bounds[j]; i++) {
      const rowOff = i * P + s0;
      const bOff = i * w;
      for (let c = 0; c < w; c++) acc[rowOff + c] += blk[bOff + c];
    }
  }
}

/** Copy the upper triangle of a P x P row-major matrix onto its lower triangle. */
export function symmetrize(a: Float64Array, P: number): void {
  for (let i = 1; i < P; i++) for (let j = 0; j < i; j++) a[i * P + j] = a[j * P + i];
}

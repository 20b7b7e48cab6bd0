/**
 * The low-rank mode's products (lowrank.ts, lowrankLayer.ts), float32, as onnxruntime graphs on the
 * sessions of a `Gemm` (graphs.ts). Shaped to return little: a layer's Gram halves or sketch per row
 * block, or the kept projections themselves.
 * - `gramHalves`: the three blocks of XsᵀXs for Xs = X - shift cut into two column halves (0.75 of
 *   the full product), and Xs's column sums.
 * - `sketch`: Xsᵀ(Xs Ω), and Xs's column sums and sums of squares.
 * - `gramTimes`: (X - mu)ᵀ((X - mu) M).
 * - `project`: (X - mu) M.
 * - `crossModels`: every model pair's block of WᵀW from per-layer W.
 */
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../onnx/builder.js';
import type { Gemm } from './graphs.js';

type Feeds = Record<string, ort.Tensor>;

/**
 * The blocks H0ᵀH0, H0ᵀH1, H1ᵀH1 of XsᵀXs for Xs = x - shift cut into column halves H0 = Xs[:, :h],
 * H1 = Xs[:, h:] (h = floor(p / 2)), and Xs's column sums; float32.
 */
export async function gramHalves(
  gemm: Gemm,
  x: Float32Array,
  rows: number,
  p: number,
  shift: Float32Array,
): Promise<{ g00: Float32Array; g01: Float32Array; g11: Float32Array; sums: Float32Array }> {
  const h = p >> 1;
  const s = await gemm.session(`halves:${p}`, () => {
    const g = new GraphBuilder('float32');
    g.input('x', 'float32', ['n', p]);
    g.input('shift', 'float32', [1, p]);
    const xs = g.sub('x', 'shift');
    const axis1 = g.constI([1], [1]);
    const h0 = g.op('Slice', [xs, g.constI([0], [1]), g.constI([h], [1]), axis1]);
    const h1 = g.op('Slice', [xs, g.constI([h], [1]), g.constI([p], [1]), axis1]);
    const tA = (a: string, b: string) => g.op('FusedMatMul', [a, b], { transA: { i: 1 } }, undefined, 'com.microsoft');
    g.output(tA(h0, h0), 'g00', 'float32', [h, h]);
    g.output(tA(h0, h1), 'g01', 'float32', [h, p - h]);
    g.output(tA(h1, h1), 'g11', 'float32', [p - h, p - h]);
    g.output(g.sum(xs, [0], 0), 'sums', 'float32', [p]);
    return g.model('cka-gram-halves', { domains: { 'com.microsoft': 1 } });
  });
  const out = await s.run({
    x: new ort.Tensor('float32', x.subarray(0, rows * p), [rows, p]),
    shift: new ort.Tensor('float32', shift, [1, p]),
  });
  gemm.macs += rows * (h * h + h * (p - h) + (p - h) * (p - h));
  return {
    g00: out.g00.data as Float32Array,
    g01: out.g01.data as Float32Array,
    g11: out.g11.data as Float32Array,
    sums: out.sums.data as Float32Array,
  };
}

/** Xsᵀ(Xs Ω) [p, k] for Xs = x - shift, and Xs's column sums and sums of squares; float32. */
export async function sketch(
  gemm: Gemm,
  x: Float32Array,
  rows: number,
  p: number,
  shift: Float32Array,
  omega: Float32Array,
  k: number,
): Promise<{ y: Float32Array; sums: Float32Array; squares: Float32Array }> {
  const s = await gemm.session(`sketch:${p}`, () => {
    const g = new GraphBuilder('float32');
    g.input('x', 'float32', ['n', p]);
    g.input('shift', 'float32', [1, p]);
    g.input('omega', 'float32', [p, 'k']);
    const xs = g.sub('x', 'shift');
    const y = g.op('FusedMatMul', [xs, g.matmul(xs, 'omega')], { transA: { i: 1 } }, undefined, 'com.microsoft');
    g.output(y, 'y', 'float32', [p, 'k']);
    g.output(g.sum(xs, [0], 0), 'sums', 'float32', [p]);
    g.output(g.sum(g.mul(xs, xs), [0], 0), 'squares', 'float32', [p]);
    return g.model('cka-sketch', { domains: { 'com.microsoft': 1 } });
  });
  const out = await s.run({
    x: new ort.Tensor('float32', x.subarray(0, rows * p), [rows, p]),
    shift: new ort.Tensor('float32', shift, [1, p]),
    omega: new ort.Tensor('float32', omega, [p, k]),
  });
  gemm.macs += 2 * rows * p * k;
  return { y: out.y.data as Float32Array, sums: out.sums.data as Float32Array, squares: out.squares.data as Float32Array };
}

/** (x - mu)ᵀ((x - mu) M) [p, k] for a row block x [n, p] and M [p, k]; float32. */
export async function gramTimes(
  gemm: Gemm,
  x: Float32Array,
  rows: number,
  p: number,
  mu: Float32Array,
  m: Float32Array,
  k: number,
): Promise<Float32Array> {
  const s = await gemm.session(`gramtimes:${p}`, () => {
    const g = new GraphBuilder('float32');
    g.input('x', 'float32', ['n', p]);
    g.input('mu', 'float32', [1, p]);
    g.input('m', 'float32', [p, 'k']);
    const xc = g.sub('x', 'mu');
    g.output(g.op('FusedMatMul', [xc, g.matmul(xc, 'm')], { transA: { i: 1 } }, undefined, 'com.microsoft'), 'y', 'float32', [p, 'k']);
    return g.model('cka-gram-times', { domains: { 'com.microsoft': 1 } });
  });
  const out = await s.run({
    x: new ort.Tensor('float32', x.subarray(0, rows * p), [rows, p]),
    mu: new ort.Tensor('float32', mu, [1, p]),
    m: new ort.Tensor('float32', m, [p, k]),
  });
  gemm.macs += 2 * rows * p * k;
  return out.y.data as Float32Array;
}

/**
 * WᵀW by model blocks: `chunks[l]` is layer l's W rows [rows, widths[l]]; `groups` lists each model's
 * layers (consecutive). Returns, for every model pair i <= j, the block [Σw_i, Σw_j] (row-major,
 * float32), and the column sums of each model's W.
 */
export async function crossModels(
  gemm: Gemm,
  chunks: Float32Array[],
  rows: number,
  widths: readonly number[],
  groups: readonly number[][],
): Promise<{ blocks: Float32Array[][]; sums: Float32Array[] }> {
  const key = `crossmodels:${groups.map((gr) => gr.map((l) => widths[l]).join('.')).join('|')}`;
  const s = await gemm.session(key, () => {
    const g = new GraphBuilder('float32');
    chunks.forEach((_, l) => g.input(`w${l}`, 'float32', ['n', widths[l]]));
    const Z = groups.map((gr) =>
      gr.length === 1
        ? `w${gr[0]}`
        : g.op(
            'Concat',
            gr.map((l) => `w${l}`),
            { axis: { i: 1 } },
          ),
    );
    const width = groups.map((gr) => gr.reduce((t, l) => t + widths[l], 0));
    for (let i = 0; i < groups.length; i++) {
      for (let j = i; j < groups.length; j++) {
        g.output(g.op('FusedMatMul', [Z[i], Z[j]], { transA: { i: 1 } }, undefined, 'com.microsoft'), `c${i}_${j}`, 'float32', [
          width[i],
          width[j],
        ]);
      }
      g.output(g.sum(Z[i], [0], 0), `s${i}`, 'float32', [width[i]]);
    }
    return g.model('cka-cross-models', { domains: { 'com.microsoft': 1 } });
  });
  const feeds: Feeds = {};
  chunks.forEach((c, l) => {
    feeds[`w${l}`] = new ort.Tensor('float32', c.subarray(0, rows * widths[l]), [rows, widths[l]]);
  });
  const out = await s.run(feeds);
  const width = groups.map((gr) => gr.reduce((t, l) => t + widths[l], 0));
  const blocks: Float32Array[][] = [];
  for (let i = 0; i < groups.length; i++) {
    blocks.push([]);
    for (let j = i; j < groups.length; j++) {
      blocks[i][j] = out[`c${i}_${j}`].data as Float32Array;
      gemm.macs += rows * width[i] * width[j];
    }
  }
  return { blocks, sums: groups.map((_, i) => out[`s${i}`].data as Float32Array) };
}

/** (x - mu) M for a row block x [n, p] and M [p, r] (float32 in and out). */
export async function project(
  gemm: Gemm,
  x: Float32Array,
  rows: number,
  p: number,
  mu: Float32Array,
  m: Float32Array,
  r: number,
): Promise<Float32Array> {
  const key = `project:${p}`;
  const s = await gemm.session(key, () => {
    const g = new GraphBuilder('float32');
    g.input('x', 'float32', ['n', p]);
    g.input('mu', 'float32', [1, p]);
    g.input('m', 'float32', [p, 'r']);
    g.output(g.matmul(g.sub('x', 'mu'), 'm'), 'w', 'float32', ['n', 'r']);
    return g.model('cka-project');
  });
  const out = await s.run({
    x: new ort.Tensor('float32', x.subarray(0, rows * p), [rows, p]),
    mu: new ort.Tensor('float32', mu, [1, p]),
    m: new ort.Tensor('float32', m, [p, r]),
  });
  gemm.macs += rows * p * r;
  return out.w.data as Float32Array;
}

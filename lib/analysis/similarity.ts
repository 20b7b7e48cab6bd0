/**
 * `layerSimilarity`: linear CKA between every pair of layers across the models of a dataset, on the
 * clips usable in every model (docs/ANALYSIS.md). Plain data in (features folders, or in-memory
 * sources), plain data out (one La x Lb matrix per model pair, a <= b), so notebooks call it directly.
 *
 * Mode: `exact` (float64 products; sample-space or feature-space form, whichever is cheaper and fits),
 * `lowrank` (per-layer principal subspaces with a guaranteed interval per value, recorded), or `auto`
 * (the default): exact when its cost is within `exactBudget` multiply-adds or no more than the low-rank
 * cost, low-rank otherwise.
 */
import * as ort from 'onnxruntime-node';
import { BioprobeError, UsageError } from '../util/errors.js';
import { parseInteger } from '../util/options.js';
import { VERSION } from '../util/version.js';
import type { Ctx, LayerRef, PairTable } from './context.js';
import { exactCosts, exactFeatureSpace, exactSampleSpace } from './exact.js';
import { Gemm } from './graphs.js';
import { lowRankBytes, lowRankCka, type LayerRank } from './lowrank.js';
import type { BoundKind } from './lowrankLayer.js';
import { checkSameClips, openFeatureFolder, type LayerSource } from './sources.js';

export const CKA_FORMAT = 'bioprobe.cka/1';

/** A features folder to compare, optionally renamed (default: the manifest's model). */
export interface FeaturesInput {
  dir: string;
  name?: string;
}

export type CkaMode = 'auto' | 'exact' | 'lowrank';
export type CkaMethod = 'sample-space' | 'feature-space' | 'lowrank';

export interface LayerSimilarityOptions {
  /** Two or more models of one dataset (one is allowed: its layers against each other). */
  features: (FeaturesInput | LayerSource)[];
  /** Layers to compare: one list for every model, or lists by model name (default: all). */
  layers?: number[] | Record<string, number[]>;
  mode?: CkaMode;
  /** Exact form (default: the cheaper one that fits `memoryMiB`). */
  exactMethod?: 'auto' | 'sample-space' | 'feature-space';
  /** Z-score each feature dimension first, as the probe does (default false: CKA of the raw pooled features). */
  standardize?: boolean;
  /** Low-rank: most basis vectors per layer (default 64). */
  rank?: number;
  /** Low-rank: stop at fewer vectors once a layer's ||K - K̂|| / ||K|| is at most this (default: keep `rank`). */
  tolerance?: number;
  /** Low-rank: extra vectors beyond `rank` (subspace iteration or sketch) and, for `gram`, iteration steps (defaults 16 and 4). */
  oversample?: number;
  iterations?: number;
  /**
   * Low-rank: how the residual beyond the kept basis is bounded (docs/ANALYSIS.md): `gram` computes each
   * layer's exact p x p Gram (0.75 n p² per layer; the tight bound, the default), `trace` only sketches
   * it (4 n p (rank + oversample) per layer; the bound is loose when the spectrum is flat).
   */
  bound?: BoundKind;
  /** Low-rank: interval widening for float32 rounding (default 1e-5). */
  allowance?: number;
  /** `auto` runs exact when it costs at most this many multiply-adds (default 2e12). */
  exactBudget?: number;
  /** onnxruntime intra-op threads (default: onnxruntime's, one per core). */
  threads?: number;
  /**
   * Rows per block read and multiplied at once (default 8192: measured fastest at IMV size, 107 s against 145 s for
   * 24576 with the trace bound, and less memory; docs/BENCHMARKS.md "cka").
   */
  blockRows?: number;
  /** Memory for accumulators, kept projections and row buffers, MiB (default 6144). */
  memoryMiB?: number;
  onProgress?: (message: string) => void;
}

/** CKA of model a's layers (rows) against model b's (columns), row-major. */
export interface CkaPair {
  a: string;
  b: string;
  rows: number;
  cols: number;
  cka: Float64Array;
  /** Low-rank mode: the guaranteed interval of each value. */
  lower?: Float64Array;
  upper?: Float64Array;
}

export interface CkaModel {
  name: string;
  layers: number[];
  dim: number;
  dir?: string;
  model?: string;
  dataset?: string;
}

/** Low-rank mode's record: settings, per-layer residuals, worst interval half-width. */
export interface LowRankRecord {
  bound: BoundKind;
  rank: number;
  tolerance?: number;
  oversample: number;
  iterations: number;
  allowance: number;
  /** The worst-case error of a reported value: its largest distance to either end of its interval. */
  maxError: number;
  /** Largest relative difference between ||K̂|| from the Gram and from the projections (float32 rounding). */
  consistency: number;
  layers: (LayerRank & { model: string; layer: number })[];
}

export interface LayerSimilarity {
  format: typeof CKA_FORMAT;
  models: CkaModel[];
  clips: { total: number; used: number; excluded: number };
  mode: 'exact' | 'lowrank';
  method: CkaMethod;
  standardize: boolean;
  /** Every model pair a <= b in `models` order (a = b: the model's layers against each other). */
  pairs: CkaPair[];
  lowrank?: LowRankRecord;
  /** Multiply-adds issued, wall seconds, and the estimates the mode was chosen by. */
  cost: {
    macs: number;
    seconds: number;
    threads?: number;
    estimates: { exact: number; exactMethod: 'sample-space' | 'feature-space'; lowrank: number };
  };
  versions: { bioprobe: string; onnxruntime: string; node: string };
  created: string;
}

function isSource(x: FeaturesInput | LayerSource): x is LayerSource {
  return typeof (x as LayerSource).read === 'function';
}

function layerLists(sources: LayerSource[], layers: LayerSimilarityOptions['layers']): number[][] {
  return sources.map((s) => {
    const list = layers === undefined ? undefined : Array.isArray(layers) ? layers : layers[s.name];
    const chosen = list ?? Array.from({ length: s.layers }, (_, i) => i);
    if (chosen.length === 0) throw new UsageError(`layers: no layers chosen for model ${s.name}`);
    for (const l of chosen) {
      if (!Number.isInteger(l) || l < 0 || l >= s.layers)
        throw new UsageError(`layers: model ${s.name} has layers 0-${s.layers - 1}, got ${l}`);
    }
    return chosen;
  });
}

/** Multiply-adds of the low-rank mode for n rows and the given layer widths (the bases, W, the cross products). */
export function lowRankCost(n: number, dims: readonly number[], rank: number, bound: BoundKind = 'gram', oversample = 16): number {
  const R = dims.reduce((s, p) => s + Math.min(p, rank), 0);
  const basis = (p: number) => (bound === 'gram' ? 0.75 * n * p * p : 4 * n * p * Math.min(p, rank + oversample));
  return dims.reduce((s, p) => s + basis(p) + n * p * Math.min(p, rank), 0) + (n * R * R) / 2;
}

/** Linear CKA between every pair of the given models' layers (module comment). */
export async function layerSimilarity(opts: LayerSimilarityOptions): Promise<LayerSimilarity> {
  const t0 = performance.now();
  if (!opts.features || opts.features.length === 0) throw new UsageError('features: give at least one features folder');
  const mode = opts.mode ?? 'auto';
  if (!['auto', 'exact', 'lowrank'].includes(mode)) throw new UsageError(`mode must be auto, exact or lowrank, got "${mode}"`);
  const rank = parseInteger('rank', opts.rank ?? 64, { min: 1 });
  const oversample = parseInteger('oversample', opts.oversample ?? 16, { min: 0 });
  const iterations = parseInteger('iterations', opts.iterations ?? 4, { min: 0 });
  const blockRows = parseInteger('blockRows', opts.blockRows ?? 8192, { min: 1 });
  const memoryMiB = parseInteger('memoryMiB', opts.memoryMiB ?? 6144, { min: 1 });
  const bound = opts.bound ?? 'gram';
  if (bound !== 'gram' && bound !== 'trace') throw new UsageError(`bound must be gram or trace, got "${bound}"`);
  const allowance = opts.allowance ?? 1e-5;
  if (opts.exactMethod !== undefined && !['auto', 'sample-space', 'feature-space'].includes(opts.exactMethod)) {
    throw new UsageError(`exactMethod must be auto, sample-space or feature-space, got "${opts.exactMethod}"`);
  }
  if (!(allowance >= 0)) throw new UsageError(`allowance must be >= 0, got ${allowance}`);
  if (opts.tolerance !== undefined && !(opts.tolerance >= 0 && opts.tolerance < 1))
    throw new UsageError(`tolerance must be in [0, 1), got ${opts.tolerance}`);
  const sources = opts.features.map((f) => (isSource(f) ? f : openFeatureFolder(f.dir, f.name)));
  const gemm = new Gemm(opts.threads);
  try {
    const used = checkSameClips(sources);
    const lists = layerLists(sources, opts.layers);
    const refs: LayerRef[] = lists.flatMap((ls, m) => ls.map((layer) => ({ model: m, layer })));
    const dims = refs.map((r) => sources[r.model].dim);
    const n = used.rows.length;
    const memoryBytes = memoryMiB * 2 ** 20;
    const costs = exactCosts(n, dims);
    const ssFits = costs.sampleSpaceBytes <= memoryBytes;
    const exactMethod: 'sample-space' | 'feature-space' =
      opts.exactMethod === 'sample-space' || (opts.exactMethod !== 'feature-space' && ssFits && costs.sampleSpace <= costs.featureSpace)
        ? 'sample-space'
        : 'feature-space';
    const exactCost = exactMethod === 'sample-space' ? costs.sampleSpace : costs.featureSpace;
    const lowCost = lowRankCost(n, dims, rank, bound, oversample);
    const useExact = mode === 'exact' || (mode === 'auto' && exactCost <= Math.max(opts.exactBudget ?? 2e12, lowCost));
    const method: CkaMethod = useExact ? exactMethod : 'lowrank';
    if (method === 'sample-space' && !ssFits) {
      throw new BioprobeError(
        'usage',
        'cka-memory',
        `the sample-space form needs ${(costs.sampleSpaceBytes / 2 ** 20).toFixed(0)} MiB for ${n} clips, more than memoryMiB ${memoryMiB}`,
        { hint: 'use exactMethod feature-space or raise memoryMiB' },
      );
    }
    const lowBytes = lowRankBytes(n, dims, rank, blockRows, bound);
    if (!useExact && lowBytes > memoryBytes) {
      throw new BioprobeError(
        'usage',
        'cka-memory',
        `the low-rank mode needs about ${(lowBytes / 2 ** 20).toFixed(0)} MiB here (${n} x ${dims.reduce((s, p) => s + Math.min(p, rank), 0)} kept projections, accumulators, row buffers), more than memoryMiB ${memoryMiB}`,
        { hint: 'raise memoryMiB, lower rank or blockRows, or compare fewer layers at a time' },
      );
    }
    const ctx: Ctx = {
      sources,
      refs,
      rows: used.rows,
      gemm,
      standardize: opts.standardize ?? false,
      blockRows,
      memoryBytes,
      progress: opts.onProgress ?? (() => {}),
    };
    let table: PairTable;
    let lowrank: LowRankRecord | undefined;
    if (method === 'sample-space') table = await exactSampleSpace(ctx);
    else if (method === 'feature-space') table = await exactFeatureSpace(ctx);
    else {
      const out = await lowRankCka(ctx, { bound, rank, tolerance: opts.tolerance, oversample, iterations, allowance });
      table = out.table;
      let maxError = 0;
      const L = refs.length;
      for (let t = 0; t < L * L; t++) {
        const v = table.value[t];
        if (Number.isFinite(v)) maxError = Math.max(maxError, v - table.lower![t], table.upper![t] - v);
      }
      lowrank = {
        bound,
        rank,
        tolerance: opts.tolerance,
        oversample,
        iterations,
        allowance,
        maxError,
        consistency: out.consistency,
        layers: out.layers.map((info, a) => ({ model: sources[refs[a].model].name, layer: refs[a].layer, ...info })),
      };
    }
    return {
      format: CKA_FORMAT,
      models: sources.map((s, m) => ({ name: s.name, layers: lists[m], dim: s.dim, ...s.info })),
      clips: { total: used.total, used: n, excluded: used.excluded },
      mode: useExact ? 'exact' : 'lowrank',
      method,
      standardize: ctx.standardize,
      pairs: splitPairs(
        table,
        sources.map((s) => s.name),
        lists,
      ),
      lowrank,
      cost: {
        macs: gemm.macs,
        seconds: (performance.now() - t0) / 1000,
        threads: opts.threads,
        estimates: { exact: exactCost, exactMethod, lowrank: lowCost },
      },
      versions: { bioprobe: VERSION, onnxruntime: ort.env.versions?.common ?? 'unknown', node: process.versions.node },
      created: new Date().toISOString(),
    };
  } finally {
    await gemm.release();
    for (const s of sources) s.close?.();
  }
}

/** Cut the L x L table into one matrix per model pair a <= b. */
function splitPairs(table: PairTable, names: string[], lists: number[][]): CkaPair[] {
  const L = lists.reduce((s, l) => s + l.length, 0);
  const offs = [0];
  for (const l of lists) offs.push(offs[offs.length - 1] + l.length);
  const pairs: CkaPair[] = [];
  for (let a = 0; a < names.length; a++) {
    for (let b = a; b < names.length; b++) {
      const rows = lists[a].length;
      const cols = lists[b].length;
      const cut = (t: Float64Array) => {
        const out = new Float64Array(rows * cols);
        for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = t[(offs[a] + i) * L + offs[b] + j];
        return out;
      };
      pairs.push({
        a: names[a],
        b: names[b],
        rows,
        cols,
        cka: cut(table.value),
        ...(table.lower ? { lower: cut(table.lower), upper: cut(table.upper!) } : {}),
      });
    }
  }
  return pairs;
}

/** The La x Lb matrix of models `a` (rows) and `b` (columns), transposed from the stored pair when needed. */
export function ckaMatrix(result: Pick<LayerSimilarity, 'pairs'>, a: string, b: string): CkaPair {
  const direct = result.pairs.find((p) => p.a === a && p.b === b);
  if (direct) return direct;
  const rev = result.pairs.find((p) => p.a === b && p.b === a);
  if (!rev) throw new UsageError(`no CKA between models "${a}" and "${b}" in this result`);
  const t = (m: Float64Array) => {
    const out = new Float64Array(m.length);
    for (let i = 0; i < rev.rows; i++) for (let j = 0; j < rev.cols; j++) out[j * rev.rows + i] = m[i * rev.cols + j];
    return out;
  };
  return { a, b, rows: rev.cols, cols: rev.rows, cka: t(rev.cka), ...(rev.lower ? { lower: t(rev.lower), upper: t(rev.upper!) } : {}) };
}

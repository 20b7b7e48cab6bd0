/**
 * How a probe run is laid out: layers grouped into stacks (one ONNX graph trains a stack's probes
 * together), and stacks spread over worker threads.
 *
 * Measured on the 2-core dev machine (docs/BENCHMARKS.md): a training step is bound by W1's Adam
 * passes and per-node overhead, not by matmul width, so on the CPU stacking many 1536-dim probes does
 * not pay (one probe per graph ran as fast per probe as thirteen), while several stacks side by side,
 * one per core, do. Small probes (tiny feature dims) are overhead-bound and do gain from stacking.
 * So on the CPU a stack holds as many probes as keep W1, its gradient and both moments within
 * STACK_CACHE_BYTES, and stacks run in parallel. The stacking depends only on the layers, D, the
 * device, the memory budget and --stack, never on the thread count, and every session runs on one
 * intra-op thread (session.ts), so results are the same on any number of cores (a probe's numbers
 * depend on the stack it trained in: batched products round differently; docs/PROTOCOL.md).
 */
import { availableParallelism } from 'node:os';
import { HIDDEN } from './graph/mlp.js';
import type { Device as ProbeDevice } from '../runtime/device.js';
import { SESSION_THREADS } from './engine.js';

/** W1 working set (parameters, gradient, two moments) per stack that the CPU default aims at. */
const STACK_CACHE_BYTES = 4 * 1024 * 1024;

/** Default most-probes-per-stack: cache-sized on the CPU, unbounded (memory only) on CUDA. */
export function defaultStackLayers(D: number, device: ProbeDevice): number {
  if (device === 'cuda') return Infinity;
  return Math.max(1, Math.floor(STACK_CACHE_BYTES / (D * HIDDEN[0] * 4 * 4)));
}

/** Split `layers` into stacks of near-equal size, each at most `maxLayers` and within `budgetBytes`. */
export function planStacks(
  layers: readonly number[],
  rowsPerLayer: number,
  D: number,
  budgetBytes: number,
  maxLayers = Infinity,
): number[][] {
  const perLayer = rowsPerLayer * D * 4;
  const most = Math.max(1, Math.min(maxLayers, Math.floor(budgetBytes / perLayer)));
  const n = Math.ceil(layers.length / most);
  const size = Math.ceil(layers.length / n);
  const out: number[][] = [];
  for (let i = 0; i < layers.length; i += size) out.push(layers.slice(i, i + size));
  return out;
}

interface WorkPlanInput {
  layers: readonly number[];
  /** Rows of one layer held in memory (train + val + test). */
  rowsPerLayer: number;
  D: number;
  /** Bytes of stacked features that may be in memory at once, over all workers. */
  budget: number;
  device: ProbeDevice;
  /** CPU threads in all (default: every core). */
  threads?: number;
  /** Most probes per stack (default: defaultStackLayers). */
  stack?: number;
}

/** `threadsPerWorker`: the sessions' intra-op threads (always SESSION_THREADS; recorded in the manifest). */
interface WorkPlan {
  stacks: number[][];
  workers: number;
  threadsPerWorker: number;
}

/**
 * Stacks, then workers: as many stacks at once as there are threads (and as the memory budget holds),
 * each on one thread. CUDA runs one stack at a time.
 */
export function planWork(o: WorkPlanInput): WorkPlan {
  const stacks = planStacks(o.layers, o.rowsPerLayer, o.D, o.budget, o.stack ?? defaultStackLayers(o.D, o.device));
  const threads = Math.max(1, o.threads ?? availableParallelism());
  if (o.device === 'cuda') return { stacks, workers: 1, threadsPerWorker: SESSION_THREADS };
  const largest = Math.max(...stacks.map((s) => s.length)) * o.rowsPerLayer * o.D * 4;
  const fit = Math.max(1, Math.floor(o.budget / largest));
  const workers = Math.max(1, Math.min(threads, stacks.length, fit));
  return { stacks, workers, threadsPerWorker: SESSION_THREADS };
}

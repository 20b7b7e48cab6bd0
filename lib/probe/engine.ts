/**
 * The probe engine: onnxruntime sessions for the epoch graph (one session.run per epoch for a whole
 * stack of probes) and the evaluation graph, plus the Adam step bookkeeping done in float64 in
 * JavaScript (torch computes lr / (1 - b1^t) and sqrt(1 - b2^t) as Python floats). With an input stage
 * in the dims (the weighted probe, graph/weightedGraph.ts) the same engine trains a probe over a layer
 * mix: X is then [layers, N, D] and the state holds the stage's arrays too.
 */
import type * as ort from 'onnxruntime-node';
import type { InputStage } from './graph/inputStage.js';
import { ADAM } from './graph/mlp.js';
import { buildEpochGraph } from './graph/trainGraph.js';
import { buildEvalGraph } from './graph/evalGraph.js';
import { stateNames, trainStateDims } from './graph/trainGraph.js';
import { createSession } from '../runtime/session.js';
import type { Device } from '../runtime/device.js';
import { int64Tensor, realTensor, type Float } from './tensors.js';
import { stateShape, PARAM_KEYS, type ProbeState } from './state.js';

export interface EngineDims {
  D: number;
  C: number;
  batch: number;
  float?: 'float32' | 'float64';
  w1Rows?: number;
  stage?: InputStage;
}

/** Per-step Adam scalars for steps t0+1 .. t0+steps: stepSize [steps, L] and bc2sqrt [steps]. */
export function adamSchedule(t0: number, steps: number, lrs: readonly number[], f64 = false): { stepSize: Float; bc2sqrt: Float } {
  const L = lrs.length;
  const stepSize = f64 ? new Float64Array(steps * L) : new Float32Array(steps * L);
  const bc2sqrt = f64 ? new Float64Array(steps) : new Float32Array(steps);
  for (let s = 0; s < steps; s++) {
    const t = t0 + s + 1;
    const bc1 = 1 - ADAM.beta1 ** t;
    bc2sqrt[s] = Math.sqrt(1 - ADAM.beta2 ** t);
    for (let l = 0; l < L; l++) stepSize[s * L + l] = lrs[l] / bc1;
  }
  return { stepSize, bc2sqrt };
}

/** Feeds for state arrays; `train` uses the training graph's chunked W1 dims (same bytes). */
function stateFeeds(state: ProbeState, keys: readonly string[], train?: EngineDims, stage?: InputStage): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const n of keys) {
    const dims = train
      ? trainStateDims(n, state.L, train)
      : stage && n === `p_${stage.name}`
        ? [state.L, ...stage.shape]
        : [state.L, ...stateShape(n, state.D, state.C)];
    feeds[n] = realTensor(state.arrays[n], dims);
  }
  return feeds;
}

/** Leading dim of the rows X fed for N rows: the probes' L, or with a stage its layers (X.length / (N D)). */
function rowsLead(X: Float, N: number, D: number, L: number, stage?: InputStage): number {
  return stage ? X.length / (N * D) : L;
}

/**
 * Intra-op threads of every probe session: one. onnxruntime's multi-threaded CPU kernels split their
 * sums by thread count, so a probe trained on 2 or 4 threads ends on other bits than on 1 (measured:
 * one 256-dim probe, one epoch), and results would depend on the machine's cores. Parallelism comes
 * from stacks trained side by side instead (plan.ts, stackWorkers.ts), which changes no probe's arithmetic.
 */
export const SESSION_THREADS = 1;

/** What a probe session is opened with: the device only (threads are SESSION_THREADS). */
export interface ProbeSessionOptions {
  device?: Device;
}

export class ProbeEngine {
  private constructor(
    readonly dims: EngineDims,
    private readonly epoch: ort.InferenceSession,
    private readonly evaluator: ort.InferenceSession,
  ) {}

  static async create(dims: EngineDims, opts: ProbeSessionOptions = {}): Promise<ProbeEngine> {
    const session = { device: opts.device, threads: SESSION_THREADS };
    const epoch = await createSession(buildEpochGraph(dims), session, 'probe training graph');
    const evaluator = await createSession(buildEvalGraph(dims), session, 'probe evaluation graph');
    return new ProbeEngine(dims, epoch, evaluator);
  }

  /**
   * One epoch over the rows of X [L, N, D] in the order `perm` (mini-batches of dims.batch, last one
   * short). `t0` is the Adam step count before this epoch; `lrs` the learning rate per probe (0 freezes).
   * Returns the new state and the per-step training losses [steps, L].
   */
  async runEpoch(
    state: ProbeState,
    X: Float,
    N: number,
    Y: Float,
    perm: ArrayLike<number>,
    t0: number,
    lrs: readonly number[],
  ): Promise<{ state: ProbeState; losses: Float; steps: number }> {
    const { L, D, C } = state;
    const steps = Math.ceil(N / this.dims.batch);
    const f64 = X instanceof Float64Array;
    const { stepSize, bc2sqrt } = adamSchedule(t0, steps, lrs, f64);
    const names = stateNames(this.dims.stage);
    const feeds = stateFeeds(state, names, this.dims);
    feeds.X = realTensor(X, [rowsLead(X, N, D, L, this.dims.stage), N, D]);
    feeds.Y = realTensor(Y, [N, C]);
    feeds.perm = int64Tensor(perm, [N]);
    feeds.steps = int64Tensor([steps], []);
    feeds.stepSize = realTensor(stepSize, [steps, L]);
    feeds.bc2sqrt = realTensor(bc2sqrt, [steps]);
    const out = await this.epoch.run(feeds);
    const arrays: Record<string, Float> = {};
    for (const n of names) arrays[n] = out[`out_${n}`].data as Float;
    return { state: { L, D, C, arrays }, losses: out.losses.data as Float, steps };
  }

  /** Log-posteriors [L, N, C] of every probe on its own layer's rows X [L, N, D] (with a stage: on the rows it takes). */
  async logPosteriors(state: ProbeState, X: Float, N: number): Promise<Float> {
    const stage = this.dims.stage;
    const feeds = stateFeeds(state, stage ? [...PARAM_KEYS, `p_${stage.name}`] : PARAM_KEYS, undefined, stage);
    feeds.X = realTensor(X, [rowsLead(X, N, state.D, state.L, stage), N, state.D]);
    const out = await this.evaluator.run(feeds);
    return out.logp.data as Float;
  }

  async release(): Promise<void> {
    await this.epoch.release();
    await this.evaluator.release();
  }
}

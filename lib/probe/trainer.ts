/**
 * Training a stack of probes (one per layer, same rows) with the protocol: per epoch one Loop run
 * over the reshuffled train rows, then the validation pass; per probe a ReduceLROnPlateau on val loss
 * and early stopping on val UAR. A stopped probe leaves the stack (its weights are final) while the
 * others continue. Weights of each probe's best-UAR epoch are kept for `select: 'best-val'`.
 * The stack's train and val blocks are reordered in place as probes stop (see StackData.order); the
 * data stay complete, so the same StackData trains the next seed.
 */
import { MT19937, randpermFrom } from '../util/random.js';
import { ProbeEngine } from './engine.js';
import { scoreProbe, type SplitScores } from './evaluate.js';
import { initState } from './init.js';
import type { Protocol } from './protocol.js';
import { EarlyStopping, ReduceLROnPlateau } from './schedule.js';
import type { ProbeSessionOptions as SessionOptions } from './engine.js';
import { copyProbe, selectProbes, type ProbeState } from './state.js';

interface SplitData {
  X: Float32Array;
  y: Int32Array;
}

/**
 * Standardised rows of L layers stacked: X is [L, n, D] per split. The trainer reorders the train and
 * val blocks by swaps (probes that stop move to the back); `order[b]` is the layer index (0..L-1) of
 * block b, and starts as the identity. Test blocks stay in layer order.
 */
export interface StackData {
  L: number;
  D: number;
  C: number;
  train: SplitData;
  val: SplitData;
  test: SplitData;
  order?: number[];
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  valUar: number;
  lr: number;
}

export interface ProbeOutcome {
  /** Epochs trained (early stopping may end before protocol.epochs). */
  epochs: number;
  bestEpoch: number;
  /** The epoch whose weights scored val and test. */
  selectedEpoch: number;
  history: EpochRecord[];
  val: SplitScores;
  test: SplitScores;
}

export interface TrainOptions extends SessionOptions {
  seed: number;
  protocol: Protocol;
  /** Called after each epoch with the active probes' records. */
  onEpoch?: (epoch: number, records: (EpochRecord | undefined)[]) => void;
}

/** One-hot rows [n, C]. */
export function oneHot(y: Int32Array, C: number): Float32Array {
  const out = new Float32Array(y.length * C);
  for (let i = 0; i < y.length; i++) out[i * C + y[i]] = 1;
  return out;
}

/** A fresh permutation of 0..n-1 by torch's randperm algorithm, drawing from a persistent generator. */
export function shuffle(n: number, rng: MT19937): Int32Array {
  return randpermFrom(n, rng);
}

/** The shuffling generator's seed for a run seed (a stream apart from the initialisation's). */
export function shuffleSeed(seed: number): number {
  return (seed + 0x9e3779b9) >>> 0;
}

const SWAP_CHUNK = 1 << 20;

/** Swap blocks i and j (each `block` floats) of X through a small buffer. */
function swapBlocks(X: Float32Array, block: number, i: number, j: number, tmp: Float32Array): void {
  for (let o = 0; o < block; o += tmp.length) {
    const n = Math.min(tmp.length, block - o);
    const a = i * block + o;
    const b = j * block + o;
    tmp.set(X.subarray(a, a + n));
    X.copyWithin(a, b, b + n);
    X.set(tmp.subarray(0, n), b);
  }
}

/**
 * Train every probe of the stack and score val and test with the selected weights. A probe that stops
 * early is scored at once and dropped from the stack (its rows compacted away), so later epochs only
 * compute the probes still training, as the per-layer PyTorch loop does.
 */
export async function trainStack(data: StackData, opts: TrainOptions): Promise<ProbeOutcome[]> {
  const { L, D, C } = data;
  const P = opts.protocol;
  const ntr = data.train.y.length;
  const nva = data.val.y.length;
  const nte = data.test.y.length;
  const engine = await ProbeEngine.create({ D, C, batch: P.batch }, opts);
  try {
    let state: ProbeState = initState(L, D, C, opts.seed);
    let best: ProbeState = initState(L, D, C, opts.seed);
    const order = data.order ?? Array.from({ length: L }, (_, l) => l);
    data.order = order;
    let act = [...order]; // layer at each active stacked position
    const Ytr = oneHot(data.train.y, C);
    const rng = new MT19937(shuffleSeed(opts.seed));
    const plateaus = Array.from(
      { length: L },
      () => new ReduceLROnPlateau(P.lr, P.plateau.factor, P.plateau.patience, P.plateau.threshold),
    );
    const stops = Array.from({ length: L }, () => new EarlyStopping(P.earlyStopPatience));
    const history: EpochRecord[][] = Array.from({ length: L }, () => []);
    const outcomes = new Array<ProbeOutcome>(L);
    const finish = async (j: number, epochs: number) => {
      const l = act[j];
      const chosen = selectProbes(P.select === 'last' ? state : best, [j]);
      const valLogp = await engine.logPosteriors(chosen, data.val.X.subarray(j * nva * D, (j + 1) * nva * D), nva);
      const testLogp = await engine.logPosteriors(chosen, data.test.X.subarray(l * nte * D, (l + 1) * nte * D), nte);
      outcomes[l] = {
        epochs,
        bestEpoch: stops[l].bestEpoch,
        selectedEpoch: P.select === 'last' ? epochs : stops[l].bestEpoch,
        history: history[l],
        val: scoreProbe(valLogp, 0, data.val.y, C, P.batch, P.uarClasses),
        test: scoreProbe(testLogp, 0, data.test.y, C, P.batch, P.uarClasses),
      };
    };
    let t = 0;
    for (let epoch = 1; epoch <= P.epochs && act.length > 0; epoch++) {
      const A = act.length;
      const lrs = act.map((l) => plateaus[l].lr);
      const r = await engine.runEpoch(state, data.train.X.subarray(0, A * ntr * D), ntr, Ytr, shuffle(ntr, rng), t, lrs);
      state = r.state;
      t += r.steps;
      const logp = await engine.logPosteriors(state, data.val.X.subarray(0, A * nva * D), nva);
      const records: (EpochRecord | undefined)[] = new Array(L).fill(undefined);
      const done: number[] = [];
      for (let j = 0; j < A; j++) {
        const l = act[j];
        let trainLoss = 0;
        for (let s = 0; s < r.steps; s++) trainLoss += r.losses[s * A + j];
        const v = scoreProbe(logp, j, data.val.y, C, P.batch, P.uarClasses);
        const rec = { epoch, trainLoss: trainLoss / r.steps, valLoss: v.loss, valUar: v.uar, lr: lrs[j] };
        history[l].push(rec);
        records[l] = rec;
        plateaus[l].step(v.loss);
        if (stops[l].update(v.uar, epoch)) copyProbe(state, j, best, j);
        if (stops[l].stopped || epoch === P.epochs) done.push(j);
      }
      opts.onEpoch?.(epoch, records);
      for (const j of done) await finish(j, epoch);
      if (done.length > 0) {
        const keep = act.map((_, j) => j).filter((j) => !done.includes(j));
        state = selectProbes(state, keep);
        best = selectProbes(best, keep);
        // move kept blocks to the front by swaps, so the data survive for the next seed
        const tmp = new Float32Array(Math.min(SWAP_CHUNK, ntr * D));
        keep.forEach((j, i) => {
          if (i === j) return;
          swapBlocks(data.train.X, ntr * D, i, j, tmp);
          swapBlocks(data.val.X, nva * D, i, j, tmp);
          [order[i], order[j]] = [order[j], order[i]];
        });
        act = order.slice(0, keep.length);
      }
    }
    return outcomes;
  } finally {
    await engine.release();
  }
}

/**
 * Training a stack of probes (one per layer, same rows) with the protocol: per epoch one Loop run
 * over the reshuffled train rows, then the validation pass; per probe a ReduceLROnPlateau on val loss
 * and early stopping on val UAR. A stopped probe gets learning rate 0, which leaves its weights bit for
 * bit unchanged while the others continue. Weights of each probe's best-UAR epoch are kept for
 * `select: 'best-val'`.
 */
import { MT19937 } from '../datasets/randperm.js';
import { ProbeEngine } from './engine.js';
import { scoreProbe, type SplitScores } from './evaluate.js';
import { initState } from './init.js';
import type { Protocol } from './protocol.js';
import { EarlyStopping, ReduceLROnPlateau } from './schedule.js';
import type { SessionOptions } from './session.js';
import { copyProbe, type ProbeState } from './state.js';

export interface SplitData { X: Float32Array; y: Int32Array }

/** Standardised rows of L layers stacked: X is [L, n, D] per split. */
export interface StackData { L: number; D: number; C: number; train: SplitData; val: SplitData; test: SplitData }

export interface EpochRecord { epoch: number; trainLoss: number; valLoss: number; valUar: number; lr: number }

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
function oneHot(y: Int32Array, C: number): Float32Array {
  const out = new Float32Array(y.length * C);
  for (let i = 0; i < y.length; i++) out[i * C + y[i]] = 1;
  return out;
}

/** A fresh permutation of 0..n-1 by torch's randperm algorithm, drawing from a persistent generator. */
export function shuffle(n: number, rng: MT19937): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const z = rng.next() % (n - i);
    const t = p[i]; p[i] = p[i + z]; p[i + z] = t;
  }
  return p;
}

/** The shuffling generator's seed for a run seed (a stream apart from the initialisation's). */
export function shuffleSeed(seed: number): number {
  return (seed + 0x9e3779b9) >>> 0;
}

/** Train every probe of the stack and score val and test with the selected weights. */
export async function trainStack(data: StackData, opts: TrainOptions): Promise<ProbeOutcome[]> {
  const { L, D, C } = data;
  const P = opts.protocol;
  const ntr = data.train.y.length;
  const engine = await ProbeEngine.create({ D, C, batch: P.batch }, opts);
  try {
    let state: ProbeState = initState(L, D, C, opts.seed);
    const best: ProbeState = initState(L, D, C, opts.seed);
    const Ytr = oneHot(data.train.y, C);
    const rng = new MT19937(shuffleSeed(opts.seed));
    const plateaus = Array.from({ length: L }, () => new ReduceLROnPlateau(P.lr, P.plateau.factor, P.plateau.patience, P.plateau.threshold));
    const stops = Array.from({ length: L }, () => new EarlyStopping(P.earlyStopPatience));
    const epochs = new Array<number>(L).fill(0);
    const history: EpochRecord[][] = Array.from({ length: L }, () => []);
    let t = 0;
    for (let epoch = 1; epoch <= P.epochs; epoch++) {
      const active = stops.map((s) => !s.stopped);
      if (!active.some(Boolean)) break;
      const lrs = plateaus.map((p, l) => (active[l] ? p.lr : 0));
      const perm = shuffle(ntr, rng);
      const r = await engine.runEpoch(state, data.train.X, ntr, Ytr, perm, t, lrs);
      state = r.state;
      t += r.steps;
      const logp = await engine.logPosteriors(state, data.val.X, data.val.y.length);
      const records: (EpochRecord | undefined)[] = [];
      for (let l = 0; l < L; l++) {
        if (!active[l]) { records.push(undefined); continue; }
        let trainLoss = 0;
        for (let s = 0; s < r.steps; s++) trainLoss += r.losses[s * L + l];
        const v = scoreProbe(logp, l, data.val.y, C, P.batch);
        const rec = { epoch, trainLoss: trainLoss / r.steps, valLoss: v.loss, valUar: v.uar, lr: lrs[l] };
        history[l].push(rec);
        records.push(rec);
        plateaus[l].step(v.loss);
        if (stops[l].update(v.uar, epoch)) copyProbe(state, l, best, l);
        epochs[l] = epoch;
      }
      opts.onEpoch?.(epoch, records);
    }
    const chosen = P.select === 'last' ? state : best;
    const valLogp = await engine.logPosteriors(chosen, data.val.X, data.val.y.length);
    const testLogp = await engine.logPosteriors(chosen, data.test.X, data.test.y.length);
    return Array.from({ length: L }, (_, l) => ({
      epochs: epochs[l],
      bestEpoch: stops[l].bestEpoch,
      selectedEpoch: P.select === 'last' ? epochs[l] : stops[l].bestEpoch,
      history: history[l],
      val: scoreProbe(valLogp, l, data.val.y, C, P.batch),
      test: scoreProbe(testLogp, l, data.test.y, C, P.batch),
    }));
  } finally {
    await engine.release();
  }
}

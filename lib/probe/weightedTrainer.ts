/**
 * Training the weighted probe (docs/PROTOCOL.md, "All layers, learned mix"): one MLP on
 * sum_l softmax(w)_l x_l over the stack's standardised layers, w learned with it, under the layer
 * probes' protocol: per epoch one Loop run over the reshuffled train rows, the validation pass,
 * ReduceLROnPlateau on val loss (its lr drives w's Adam too), early stopping on val UAR, val and test
 * scored with the weights `select` names.
 *
 * "Same seed" means the layer probes' draws, unchanged: w starts at zero (a uniform mix, as s3prl's
 * featurizer) and draws nothing, so the MLP's initial weights are initState's for the seed, the very
 * numbers every layer probe of that seed starts from, and the epochs' batch orders come from the same
 * shuffling generator (trainer.ts shuffle, shuffleSeed), one permutation of the train part per epoch.
 * Over a single layer the mix is that layer (softmax of one weight is 1, its gradient 0) and the run is
 * the layer probe's, bit for bit (tested).
 */
import { MT19937 } from '../util/random.js';
import { ProbeEngine } from './engine.js';
import { scoreProbe } from './evaluate.js';
import { MIX, layerMix, mixWeights } from './graph/weightedGraph.js';
import { initState } from './init.js';
import { EarlyStopping, ReduceLROnPlateau } from './schedule.js';
import type { ProbeState } from './state.js';
import type { Float } from './tensors.js';
import { oneHot, shuffle, shuffleSeed, type EpochRecord, type ProbeOutcome, type StackData, type TrainOptions } from './trainer.js';

/** An epoch of the weighted probe: the layer probe's record plus the mix after it. */
export interface WeightedEpochRecord extends EpochRecord {
  /** softmax(w) per layer of the stack after this epoch. */
  weights: number[];
  /** w itself. */
  logits: number[];
}

/** A weighted probe's outcome: the layer probe's, plus the mix of the weights that scored val and test and after every epoch. */
export interface WeightedOutcome extends ProbeOutcome {
  history: WeightedEpochRecord[];
  /** softmax(w) per layer of the stack, in the stack's layer order (sums to 1). */
  weights: number[];
  /** w itself (before the softmax). */
  logits: number[];
}

/** The initial state: the MLP as every layer probe of `seed` starts (initState), w and its moments zero; float64 arrays with `f64`. */
export function initWeightedState(layers: number, D: number, C: number, seed: number, f64 = false): ProbeState {
  const s = initState(1, D, C, seed);
  for (const k of ['p', 'm', 'v']) s.arrays[`${k}_${MIX}`] = new Float32Array(layers);
  if (f64) for (const k of Object.keys(s.arrays)) s.arrays[k] = Float64Array.from(s.arrays[k]);
  return s;
}

export interface WeightedTrainOptions extends TrainOptions {
  /**
   * 'float64' trains and scores in float64 graphs on a float64 copy of the rows: for checks against a
   * float64 reference (a whole run's float32 rounding can be amplified; docs/PROTOCOL.md). Default float32.
   */
  float?: 'float32' | 'float64';
}

/** The mix's weights are per block of the stack: its blocks must be in layer order (trainStack reorders train and val blocks as probes stop). */
function checkLayerOrder(data: StackData): void {
  if (data.order?.some((l, b) => l !== b))
    throw new Error('trainWeighted needs a stack in layer order; trainStack has reordered this one (load it afresh)');
}

/** Train the weighted probe on every layer of `data` and score val and test with the selected weights. */
export async function trainWeighted(data: StackData, opts: WeightedTrainOptions): Promise<WeightedOutcome> {
  const { L, D, C } = data;
  checkLayerOrder(data);
  const P = opts.protocol;
  const ntr = data.train.y.length;
  const nva = data.val.y.length;
  const nte = data.test.y.length;
  const f64 = opts.float === 'float64';
  const rows = (X: Float32Array): Float => (f64 ? Float64Array.from(X) : X);
  const [Xtr, Xva, Xte] = [rows(data.train.X), rows(data.val.X), rows(data.test.X)];
  const engine = await ProbeEngine.create({ D, C, batch: P.batch, stage: layerMix(L), float: opts.float }, opts);
  try {
    let state = initWeightedState(L, D, C, opts.seed, f64);
    let best = state; // output arrays are fresh every run: keeping a reference keeps that epoch's weights
    const Ytr = f64 ? Float64Array.from(oneHot(data.train.y, C)) : oneHot(data.train.y, C);
    const rng = new MT19937(shuffleSeed(opts.seed));
    const plateau = new ReduceLROnPlateau(P.lr, P.plateau.factor, P.plateau.patience, P.plateau.threshold);
    const stop = new EarlyStopping(P.earlyStopPatience);
    const history: WeightedEpochRecord[] = [];
    let t = 0;
    for (let epoch = 1; epoch <= P.epochs; epoch++) {
      const lr = plateau.lr;
      const r = await engine.runEpoch(state, Xtr, ntr, Ytr, shuffle(ntr, rng), t, [lr]);
      state = r.state;
      t += r.steps;
      const v = scoreProbe(await engine.logPosteriors(state, Xva, nva), 0, data.val.y, C, P.batch, P.uarClasses);
      let trainLoss = 0;
      for (let s = 0; s < r.steps; s++) trainLoss += r.losses[s];
      const logits = Array.from(state.arrays[`p_${MIX}`]);
      const rec = { epoch, trainLoss: trainLoss / r.steps, valLoss: v.loss, valUar: v.uar, lr, weights: mixWeights(logits), logits };
      history.push(rec);
      plateau.step(v.loss);
      if (stop.update(v.uar, epoch)) best = state;
      opts.onEpoch?.(epoch, [rec]);
      if (stop.stopped) break;
    }
    const epochs = history.length;
    const chosen = P.select === 'last' ? state : best;
    const score = async (X: Float, n: number, y: Int32Array) =>
      scoreProbe(await engine.logPosteriors(chosen, X, n), 0, y, C, P.batch, P.uarClasses);
    const logits = Array.from(chosen.arrays[`p_${MIX}`]);
    return {
      epochs,
      bestEpoch: stop.bestEpoch,
      selectedEpoch: P.select === 'last' ? epochs : stop.bestEpoch,
      history,
      val: await score(Xva, nva, data.val.y),
      test: await score(Xte, nte, data.test.y),
      weights: mixWeights(logits),
      logits,
    };
  } finally {
    await engine.release();
  }
}

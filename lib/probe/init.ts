/**
 * PyTorch's default initialisation of the probe MLP, from bioprobe's own seeded generator (MT19937):
 * Linear weights and biases U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (torch's kaiming_uniform(a=sqrt(5))
 * gives exactly this bound for weights), LayerNorm gamma 1 and beta 0. Like the PyTorch reference,
 * which reseeds before every layer, every probe of a stack starts from the same weights for a seed,
 * so a layer's result does not depend on which other layers share its stack.
 */
import { MT19937 } from '../util/random.js';
import { PARAM_NAMES } from './graph/mlp.js';
import { stateShape, zeroState, type ProbeState } from './state.js';

/** Uniform [0, 1) with 24 random bits (a float32's worth), from one MT19937 draw. */
export function uniform01(rng: MT19937): number {
  return (rng.next() >>> 8) / 16777216;
}

/** A fresh state (zero moments) with every probe initialised from `seed`. */
export function initState(L: number, D: number, C: number, seed: number): ProbeState {
  const s = zeroState(L, D, C);
  const rng = new MT19937(seed);
  for (const n of PARAM_NAMES) {
    const key = `p_${n}`;
    const [r, c] = stateShape(key, D, C);
    const k = r * c;
    const one = new Float32Array(k);
    if (n.startsWith('g')) one.fill(1);
    else if (n.startsWith('be')) one.fill(0);
    else {
      const fanIn = n.startsWith('W') ? r : stateShape(`p_W${n.slice(1)}`, D, C)[0];
      const bound = 1 / Math.sqrt(fanIn);
      for (let i = 0; i < k; i++) one[i] = (uniform01(rng) * 2 - 1) * bound;
    }
    for (let l = 0; l < L; l++) s.arrays[key].set(one, l * k);
  }
  return s;
}

/**
 * Label efficiency's training subsets (docs/PROTOCOL.md, "Label efficiency"): for a seed, each class's
 * train clips in a seeded random order; the k-shot subset is the first min(k, n_c) clips of every
 * class c. Subsets are therefore stratified (every class contributes k clips, or all it has) and
 * nested (the k-shot subset lies inside the 2k-shot one, for the same seed). The order comes from its
 * own MT19937 stream, apart from the probe's initialisation (seed) and batch shuffling (shuffleSeed).
 */
import { MT19937 } from '../util/random.js';
import { UsageError } from '../util/errors.js';
import { parseInteger } from '../util/options.js';
import { shuffle } from '../probe/trainer.js';

/** A point of the curve: k train clips per class, or `all` of the train split. */
export type Shot = number | 'all';

/** The curve the issue asks for. */
export const DEFAULT_SHOTS: readonly Shot[] = [1, 2, 4, 8, 16, 32, 'all'];

/** The subset order's generator seed for a run seed (a stream apart from init and shuffling). */
export function subsetSeed(seed: number): number {
  return (seed + 0x5bd1e995) >>> 0;
}

/**
 * Per class (index = class id), the train clips in the seed's order. `train`: clip indices of the
 * train split, ascending; `y`: class id per clip. Classes are drawn one after the other from one
 * generator (torch's randperm algorithm, trainer.ts shuffle), so the order depends only on the seed
 * and the train split.
 */
export function classOrders(train: ArrayLike<number>, y: ArrayLike<number>, C: number, seed: number): Int32Array[] {
  const members: number[][] = Array.from({ length: C }, () => []);
  for (let i = 0; i < train.length; i++) members[y[train[i]]].push(train[i]);
  const rng = new MT19937(subsetSeed(seed));
  return members.map((m) => {
    const perm = shuffle(m.length, rng);
    return Int32Array.from(perm, (j) => m[j]);
  });
}

/** The k-shot subset of `orders` (classOrders): clip indices, ascending (dataset order, as the probe keeps its rows). */
export function shotSubset(orders: readonly Int32Array[], k: Shot): Int32Array {
  const picked: number[] = [];
  for (const o of orders) {
    const n = k === 'all' ? o.length : Math.min(k, o.length);
    for (let i = 0; i < n; i++) picked.push(o[i]);
  }
  return Int32Array.from(picked).sort();
}

/** "1,2,4,all" -> [1, 2, 4, 'all']: positive integers in increasing order, then optionally `all`; `name` is the option named in errors. */
export function parseShots(name: string, text: string): Shot[] {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0) throw new UsageError(`${name} must list shots per class, e.g. 1,2,4,8,16,32,all, got "${text}"`);
  const shots: Shot[] = parts.map((p) => (p === 'all' ? 'all' : parseInteger(name, p, { min: 1 })));
  return checkShots(name, shots);
}

/** Shots must be distinct positive integers in increasing order, `all` at most once and last. */
export function checkShots(name: string, shots: readonly Shot[]): Shot[] {
  if (shots.length === 0) throw new UsageError(`${name} must list at least one shot count`);
  shots.forEach((s, i) => {
    if (s === 'all') {
      if (i !== shots.length - 1) throw new UsageError(`${name}: "all" must come last, got ${shots.join(',')}`);
      return;
    }
    if (!Number.isSafeInteger(s) || s < 1) throw new UsageError(`${name} must be positive integers or "all", got ${shots.join(',')}`);
    const prev = shots[i - 1];
    if (i > 0 && typeof prev === 'number' && s <= prev) throw new UsageError(`${name} must increase, got ${shots.join(',')}`);
  });
  return [...shots];
}

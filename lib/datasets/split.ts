/**
 * Train/val/test splits over item order. `paperSplit` is the paper's (torch.utils.data.random_split
 * over torch.randperm(N, seed 42), lengths int(0.7N), int(0.2N), rest), bit-exact; `stratifiedSplit`
 * applies the same rule within each class; `groupedSplit` keeps every group (recording, individual)
 * inside one split. Each returns one 'train' | 'val' | 'test' per item index.
 */
import { UsageError } from '../util/errors.js';
import { torchRandperm } from '../util/random.js';

export type SplitName = 'train' | 'val' | 'test';
export const SPLIT_NAMES: readonly SplitName[] = ['train', 'val', 'test'];

export interface SplitOptions {
  /** Generator seed (the paper: 42). */
  seed?: number;
  /** Relative sizes of train, val, test (the paper: 70,20,10). */
  ratios?: readonly [number, number, number] | readonly number[];
}

/** Check ratios are three finite numbers >= 0 with a positive sum. */
function checkRatios(ratios: readonly number[]): [number, number, number] {
  if (ratios.length !== 3 || ratios.some((r) => !Number.isFinite(r) || r < 0) || ratios[0] + ratios[1] + ratios[2] <= 0) {
    throw new UsageError(`ratios must be three numbers >= 0 with a positive sum, got ${ratios.join(',')}`, {
      hint: 'e.g. --ratios 70,20,10',
    });
  }
  return [ratios[0], ratios[1], ratios[2]];
}

/**
 * Train and val sizes for n items: floor(r0/sum * n), floor(r1/sum * n), with the same double arithmetic
 * as Python's int(0.7 * N) (70/100 is the double 0.7), so sizes match the paper's code exactly.
 */
export function splitSizes(n: number, ratios: readonly number[]): [number, number, number] {
  const [r0, r1, r2] = checkRatios(ratios);
  const sum = r0 + r1 + r2;
  const train = Math.floor((r0 / sum) * n);
  const val = Math.floor((r1 / sum) * n);
  return [train, val, n - train - val];
}

function checkSeed(seed: number): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new UsageError(`seed must be an integer from 0 to 2^32-1, got ${seed}`);
  return seed;
}

/** Assign positions `members` (item indices) with the paper's rule: permute, then cut by sizes. */
function assignByPermutation(out: SplitName[], members: readonly number[], seed: number, ratios: readonly number[]): void {
  const [train, val] = splitSizes(members.length, ratios);
  const p = torchRandperm(members.length, seed);
  for (let k = 0; k < p.length; k++) out[members[p[k]]] = k < train ? 'train' : k < train + val ? 'val' : 'test';
}

/** The paper's split of n items. */
export function paperSplit(n: number, opts: SplitOptions = {}): SplitName[] {
  const out = new Array<SplitName>(n);
  assignByPermutation(
    out,
    Array.from({ length: n }, (_, i) => i),
    checkSeed(opts.seed ?? 42),
    opts.ratios ?? [70, 20, 10],
  );
  return out;
}

/**
 * Stratified: the paper's rule applied to each class's items (in dataset order) with the same seed.
 * Classes with very few items land mostly in test (floor rounding), as the rule implies.
 */
export function stratifiedSplit(labels: readonly string[], opts: SplitOptions = {}): SplitName[] {
  const seed = checkSeed(opts.seed ?? 42);
  const out = new Array<SplitName>(labels.length);
  for (const members of groupIndices(labels).values()) assignByPermutation(out, members, seed, opts.ratios ?? [70, 20, 10]);
  return out;
}

/**
 * Grouped: items sharing a group key never straddle splits. Groups (ordered by first appearance; an item
 * without a group is its own group) are permuted with torch.randperm(G, seed) and laid end to end; a group
 * goes to the split its middle item falls in, given the target sizes of splitSizes(n). Sizes then approach
 * the ratios as closely as the group sizes allow.
 */
export function groupedSplit(groups: readonly (string | undefined)[], opts: SplitOptions = {}): SplitName[] {
  const seed = checkSeed(opts.seed ?? 42);
  const keys = groups.map((g, i) => (g === undefined || g === '' ? `\u0000item${i}` : g));
  const byGroup = [...groupIndices(keys).values()];
  const [train, val] = splitSizes(groups.length, opts.ratios ?? [70, 20, 10]);
  const p = torchRandperm(byGroup.length, seed);
  const out = new Array<SplitName>(groups.length);
  let at = 0;
  for (let k = 0; k < p.length; k++) {
    const members = byGroup[p[k]];
    const mid = at + members.length / 2;
    const name: SplitName = mid <= train ? 'train' : mid <= train + val ? 'val' : 'test';
    for (const i of members) out[i] = name;
    at += members.length;
  }
  return out;
}

/** Item indices per key, keys in order of first appearance. */
function groupIndices(keys: readonly string[]): Map<string, number[]> {
  const m = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  });
  return m;
}

/** Items per split. */
export function splitCounts(split: readonly SplitName[]): Record<SplitName, number> {
  const c = { train: 0, val: 0, test: 0 };
  for (const s of split) c[s]++;
  return c;
}

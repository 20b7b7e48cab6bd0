/**
 * manifest.json of a results folder (`bioprobe.results/1`, INTERFACE.md Extensions): one type for what
 * `probe` and `fuse` write, and the settings readers take from it (seeds, the UAR class set).
 */
import type { FeaturesManifest } from '../features/manifest.js';
import type { AsRead } from '../util/asRead.js';
import { BioprobeError } from '../util/errors.js';
import { UAR_CLASSES, type UarClasses } from './metrics.js';

/** What the settings below read of a results folder (a ResultsDir is one). */
interface WithManifest {
  dir: string;
  manifest?: AsRead<ResultsManifest>;
}

export interface ResultsManifest {
  format: string;
  /** Who wrote the folder. */
  kind: 'probe' | 'fusion' | 'weighted-probe';
  /** Model id (a fusion: the members' ids joined by `+`). */
  model: string;
  /** Dataset spec. */
  dataset: string;
  created: string;
  /** The seeds in the order of their predictions folders (the first in predictions/, then seed_<s>/). */
  seeds: number[];
  /** The probe's protocol (probe/protocol.ts); a fusion records the UAR class set it scored with. */
  protocol: { uarClasses?: UarClasses };
  versions: Record<string, string>;
  // ---- probe
  layers?: number[];
  stacks?: number[][];
  workers?: number;
  threads_per_worker?: number;
  /** Number of classes (the posteriors' columns). */
  classes?: number;
  classes_from?: string;
  split?: { file: string } | { rule: string; seed: number; ratios: number[]; over: string };
  counts?: { train: number; val: number; test: number; excluded: number };
  device?: string;
  threads?: number;
  seconds?: number;
  /** The features folder's manifest, verbatim (another tool's folder may have written less). */
  features?: AsRead<FeaturesManifest>;
  // ---- weighted probe (kind weighted-probe; also the probe fields above)
  /** The system name its rows and files use (`all-weighted`). */
  name?: string;
  /** What the probe is, in words. */
  probe?: string;
  /** The learned layer weights: their file and, per mixed layer, mean and std over seeds of softmax(w). */
  layer_weights?: { file: string; mean: number[]; std: number[] };
  feature_bytes?: number;
  // ---- fusion
  rule?: string;
  variants?: Record<string, string>;
  inputs?: { dir: string; model?: unknown; dataset?: unknown; seeds?: unknown }[];
}

/** The seeds a results manifest lists (empty when it lists none, e.g. written by another tool). */
export function manifestSeeds(r: WithManifest): number[] {
  return Array.isArray(r.manifest?.seeds) ? r.manifest!.seeds : [];
}

/** How many seeds' predictions a results directory holds (its manifest's `seeds`; 1 when absent). */
export function seedCount(r: WithManifest): number {
  return Math.max(1, manifestSeeds(r).length);
}

/** The UAR class set a results directory was scored with (its manifest's protocol; 'present' when it says none). */
export function uarClassesOf(r: WithManifest): UarClasses {
  const v = r.manifest?.protocol?.uarClasses;
  return UAR_CLASSES.find((c) => c === v) ?? 'present';
}

/** The one UAR class set of several results directories; they must agree (scores on different sets do not compare). */
export function commonUarClasses(dirs: readonly WithManifest[]): UarClasses {
  const sets = dirs.map(uarClassesOf);
  const other = sets.findIndex((s) => s !== sets[0]);
  if (other > 0) {
    throw new BioprobeError(
      'results',
      'uar-classes-differ',
      `scored with UAR over ${sets[other]} classes, but ${dirs[0].dir} over ${sets[0]} classes`,
      {
        file: dirs[other].dir,
        hint: 'probe both with the same protocol (--uar-classes)',
      },
    );
  }
  return sets[0];
}

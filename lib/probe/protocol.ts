/** The probe protocol's settings (SPEC.md) and the two test-weight selections. */
import type { UarClasses } from '../results/metrics.js';

/** Which weights score the validation and test splits: the best-validation epoch's, or the final ones (the paper's code). */
export const SELECTIONS = ['best-val', 'last'] as const;
export type Selection = (typeof SELECTIONS)[number];

export interface Protocol {
  epochs: number;
  batch: number;
  lr: number;
  /** ReduceLROnPlateau on validation loss. */
  plateau: { factor: number; patience: number; threshold: number };
  /** Early stopping on validation UAR. */
  earlyStopPatience: number;
  /** Which weights score val/test: the best validation UAR's epoch (default) or the last (the paper's code). */
  select: Selection;
  /** Which classes UAR averages over (results/metrics.ts): 'present' (default, torchmetrics >= 1.0) or 'all' (torchmetrics 0.11, the paper's). */
  uarClasses: UarClasses;
}

/** SPEC.md's protocol with the cleaner default selection (best validation UAR). */
export const DEFAULT_PROTOCOL: Protocol = {
  epochs: 30,
  batch: 16,
  lr: 1e-3,
  plateau: { factor: 0.1, patience: 10, threshold: 1e-4 },
  earlyStopPatience: 10,
  select: 'best-val',
  uarClasses: 'present',
};

/** The paper's code: test with the final weights; UAR over all C classes as torchmetrics 0.11 computed it. */
export const PAPER_PROTOCOL: Protocol = { ...DEFAULT_PROTOCOL, select: 'last', uarClasses: 'all' };

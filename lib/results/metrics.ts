/**
 * The scores of a results folder (results.csv's uar and accuracy), with torchmetrics' semantics
 * (multiclass, average='macro'): the probe trains and evaluates with them, fuse and compare score with
 * them, the report recomputes Fig. 5's UAR with them. Which classes
 * UAR's mean runs over changed between torchmetrics versions, and both are offered (UarClasses):
 * - 'present' (torchmetrics >= 1.0, SPEC.md): classes with tp + fp + fn > 0; a class neither in the
 *   targets nor predicted is left out; a class predicted but absent from the targets has recall 0.
 * - 'all' (torchmetrics 0.11, the version the paper's environment.yaml pins: `torchmetrics=0.*`):
 *   every one of the C classes, a class absent from the targets with recall 0 (0/0 -> 0). With
 *   Abzaliev's 14 outputs, one of them a dropped class, this is 13/14 of the 'present' UAR.
 */

/** The two UAR class sets (see above); a results folder records its set as manifest `protocol.uarClasses`. */
export const UAR_CLASSES = ['present', 'all'] as const;
export type UarClasses = (typeof UAR_CLASSES)[number];

/** Index of the largest value in each row of a row-major [n, C] array (first on ties, like argmax). */
export function argmaxRows(data: ArrayLike<number>, n: number, C: number, offset = 0): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bv = data[offset + i * C];
    for (let c = 1; c < C; c++) {
      const v = data[offset + i * C + c];
      if (v > bv) {
        bv = v;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}

/** Confusion counts [C, C], row = true class, column = predicted class. */
export function confusionMatrix(pred: ArrayLike<number>, target: ArrayLike<number>, C: number): Int32Array {
  const m = new Int32Array(C * C);
  for (let i = 0; i < target.length; i++) m[target[i] * C + pred[i]]++;
  return m;
}

/** UAR (macro recall, torchmetrics semantics over `classes`) from a confusion matrix. */
export function uarFromConfusion(m: ArrayLike<number>, C: number, classes: UarClasses = 'present'): number {
  let sum = 0;
  let counted = 0;
  for (let c = 0; c < C; c++) {
    let tpfn = 0;
    let tpfp = 0;
    for (let k = 0; k < C; k++) {
      tpfn += m[c * C + k];
      tpfp += m[k * C + c];
    }
    const tp = m[c * C + c];
    if (classes === 'present' && tpfn + tpfp - tp === 0) continue; // tp + fp + fn = 0
    counted++;
    sum += tpfn > 0 ? tp / tpfn : 0;
  }
  return counted === 0 ? 0 : sum / counted;
}

/** Unweighted average recall of predictions against targets over C classes. */
export function uar(pred: ArrayLike<number>, target: ArrayLike<number>, C: number, classes: UarClasses = 'present'): number {
  return uarFromConfusion(confusionMatrix(pred, target, C), C, classes);
}

/** Fraction of predictions equal to their target (0 for an empty set). */
export function accuracy(pred: ArrayLike<number>, target: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < target.length; i++) if (pred[i] === target[i]) ok++;
  return target.length === 0 ? 0 : ok / target.length;
}

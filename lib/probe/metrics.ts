/**
 * Classification metrics with torchmetrics' semantics (multiclass, average='macro'): UAR is the mean
 * per-class recall over classes with tp + fp + fn > 0 (a class neither present nor predicted is left
 * out); a class predicted but absent from the targets has recall 0 and counts.
 */

/** Index of the largest value in each row of a row-major [n, C] array (first on ties, like argmax). */
export function argmaxRows(data: ArrayLike<number>, n: number, C: number, offset = 0): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bv = data[offset + i * C];
    for (let c = 1; c < C; c++) {
      const v = data[offset + i * C + c];
      if (v > bv) { bv = v; best = c; }
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

/** UAR (macro recall, torchmetrics semantics) from a confusion matrix. */
export function uarFromConfusion(m: ArrayLike<number>, C: number): number {
  let sum = 0;
  let classes = 0;
  for (let c = 0; c < C; c++) {
    let tpfn = 0;
    let tpfp = 0;
    for (let k = 0; k < C; k++) { tpfn += m[c * C + k]; tpfp += m[k * C + c]; }
    const tp = m[c * C + c];
    if (tpfn + tpfp - tp === 0) continue; // tp + fp + fn = 0
    classes++;
    sum += tpfn > 0 ? tp / tpfn : 0;
  }
  return classes === 0 ? 0 : sum / classes;
}

/** Unweighted average recall of predictions against targets over C classes. */
export function uar(pred: ArrayLike<number>, target: ArrayLike<number>, C: number): number {
  return uarFromConfusion(confusionMatrix(pred, target, C), C);
}

/** Fraction of predictions equal to their target (0 for an empty set). */
export function accuracy(pred: ArrayLike<number>, target: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < target.length; i++) if (pred[i] === target[i]) ok++;
  return target.length === 0 ? 0 : ok / target.length;
}

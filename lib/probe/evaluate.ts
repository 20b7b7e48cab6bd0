/**
 * Turning one probe's log-posteriors into what the protocol needs: posteriors, predictions, the
 * validation loss as the reference computes it (mean over consecutive batches of 16 of each batch's
 * mean cross-entropy), UAR, accuracy and the confusion matrix.
 */
import { accuracy, argmaxRows, confusionMatrix, uarFromConfusion, type UarClasses } from '../results/metrics.js';
import type { Float } from './tensors.js';

export interface SplitScores {
  posteriors: Float32Array;
  pred: Int32Array;
  loss: number;
  uar: number;
  accuracy: number;
  confusion: Int32Array;
}

/** Scores of probe `l` from stacked log-posteriors [L, n, C] against targets y. */
export function scoreProbe(
  logp: Float,
  l: number,
  y: Int32Array,
  C: number,
  batch: number,
  uarClasses: UarClasses = 'present',
): SplitScores {
  const n = y.length;
  const off = l * n * C;
  const pred = argmaxRows(logp, n, C, off);
  const posteriors = new Float32Array(n * C);
  for (let i = 0; i < n * C; i++) posteriors[i] = Math.exp(logp[off + i]);
  let sum = 0;
  let batches = 0;
  for (let s = 0; s < n; s += batch) {
    const e = Math.min(n, s + batch);
    let b = 0;
    for (let i = s; i < e; i++) b -= logp[off + i * C + y[i]];
    sum += b / (e - s);
    batches++;
  }
  const confusion = confusionMatrix(pred, y, C);
  return {
    posteriors,
    pred,
    loss: batches ? sum / batches : NaN,
    uar: uarFromConfusion(confusion, C, uarClasses),
    accuracy: accuracy(pred, y),
    confusion,
  };
}

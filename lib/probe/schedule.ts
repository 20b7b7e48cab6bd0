/**
 * Per-probe training controls, replicating PyTorch 1.13 / the paper's code:
 * `ReduceLROnPlateau` (torch.optim.lr_scheduler, mode min, threshold_mode rel, cooldown 0, min_lr 0,
 * eps 1e-8) and the early stopping of the reference loop (strictly better UAR resets, else count; stop
 * when the count reaches patience).
 */
export class ReduceLROnPlateau {
  lr: number;
  best = Infinity;
  numBadEpochs = 0;
  private cooldownCounter = 0;
  constructor(
    lr: number,
    readonly factor = 0.1,
    readonly patience = 10,
    readonly threshold = 1e-4,
    readonly cooldown = 0,
    readonly minLr = 0,
    readonly eps = 1e-8,
  ) {
    this.lr = lr;
  }

  /** Step once per epoch with the validation loss; returns the (possibly reduced) learning rate. */
  step(metric: number): number {
    if (metric < this.best * (1 - this.threshold)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else this.numBadEpochs++;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      const next = Math.max(this.lr * this.factor, this.minLr);
      if (this.lr - next > this.eps) this.lr = next;
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    return this.lr;
  }
}

/** Early stopping on a metric to maximise (validation UAR). */
export class EarlyStopping {
  best = -Infinity;
  bestEpoch = 0;
  bad = 0;
  stopped = false;
  constructor(readonly patience = 10) {}

  /** Record epoch `epoch`'s metric; returns true when it is a new best (keep these weights). */
  update(metric: number, epoch: number): boolean {
    if (metric > this.best) {
      this.best = metric;
      this.bestEpoch = epoch;
      this.bad = 0;
      return true;
    }
    this.bad++;
    if (this.bad >= this.patience) this.stopped = true;
    return false;
  }
}

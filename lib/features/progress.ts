/**
 * Progress of an extraction: on a TTY one self-rewriting line (clips done/total, clips/s, audio-seconds/s,
 * ETA); in logs (not a TTY) nothing until the run's one summary line.
 */

export interface ProgressSink {
  isTTY?: boolean;
  write(s: string): unknown;
}

function clock(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '--:--';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.floor(s % 60);
  const mm = String(m).padStart(2, '0');
  const ss = String(sec).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export class Progress {
  private readonly t0 = Date.now();
  private lastDraw = 0;
  private drawn = false;
  /** Clips computed in this run (not counting resumed ones). */
  clips = 0;
  /** Clips skipped in this run. */
  skipped = 0;
  /** Seconds of audio fed to the model in this run. */
  audioSeconds = 0;

  constructor(
    private readonly total: number,
    private readonly alreadyDone: number,
    private readonly sink?: ProgressSink,
    private readonly intervalMs = 500,
  ) {}

  get elapsed(): number {
    return (Date.now() - this.t0) / 1000;
  }

  /** Count one clip (skipped or not) and redraw when due. */
  tick(audioSeconds: number, skipped: boolean): void {
    this.clips++;
    if (skipped) this.skipped++;
    this.audioSeconds += audioSeconds;
    if (!this.sink?.isTTY) return;
    const now = Date.now();
    if (now - this.lastDraw < this.intervalMs && this.alreadyDone + this.clips < this.total) return;
    this.lastDraw = now;
    this.sink.write(`\r\x1b[K${this.line()}`);
    this.drawn = true;
  }

  /** The current state on one line. */
  line(): string {
    const t = Math.max(this.elapsed, 1e-3);
    const done = this.alreadyDone + this.clips;
    const rate = this.clips / t;
    const eta = rate > 0 ? (this.total - done) / rate : NaN;
    return `${done}/${this.total} clips  ${rate.toFixed(1)} clips/s  ${(this.audioSeconds / t).toFixed(1)} audio-s/s  ETA ${clock(eta)}`;
  }

  /** End the TTY line (before the summary is printed). */
  end(): void {
    if (this.drawn) this.sink?.write('\n');
    this.drawn = false;
  }
}

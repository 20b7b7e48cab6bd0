/**
 * Label-efficiency points across CPU cores: with W workers each worker thread (labelEfficiencyThread.ts)
 * opens the features, loads the layer's standardised rows once (W copies in memory: onnxruntime-node
 * refuses input tensors over a SharedArrayBuffer, "Invalid argument", tried on 1.30) and trains the
 * points it is sent, one at a time, on one onnxruntime thread. A point's numbers depend only on its
 * (shots, seed), so they are the same on any number of workers. With one worker everything runs here.
 * Errors cross back as BioprobeErrors (util/worker.ts); on one the others stop after their point.
 */
import type { Worker } from 'node:worker_threads';
import type { SplitName } from '../datasets/split.js';
import { loadStack, partition } from '../probe/data.js';
import { openFeatures } from '../probe/features.js';
import type { Protocol } from '../probe/index.js';
import type { StackData } from '../probe/trainer.js';
import type { Device } from '../runtime/device.js';
import { BioprobeError } from '../util/errors.js';
import { fromWire, startWorker, type WireError } from '../util/worker.js';
import { trainPoint, type PointRecord } from './labelEfficiencyPoints.js';
import { classOrders, shotSubset, type Shot } from './labelEfficiencySubsets.js';

/** What every point of a curve shares (plain data: it crosses to worker threads). */
export interface PointContext {
  features: string;
  split: SplitName[];
  classes: string[];
  layer: number;
  protocol: Protocol;
  device?: Device;
}
export interface PointJob {
  k: Shot;
  seed: number;
}

export type PointMessage = { type: 'point'; record: PointRecord; seconds: number } | { type: 'done' } | { type: 'error'; error: WireError };
export type PointCommand = { type: 'job'; job: PointJob } | { type: 'stop' };

/** A context opened once per thread: the layer's stack, the train clips, and per seed the class orders. */
export class PointTrainer {
  private readonly orders = new Map<number, Int32Array[]>();
  private constructor(
    private readonly ctx: PointContext,
    private readonly full: StackData,
    private readonly trainClips: Int32Array,
    private readonly y: Int32Array,
  ) {}

  static open(ctx: PointContext): PointTrainer {
    const fs = openFeatures(ctx.features);
    const p = partition(fs, ctx.split, ctx.classes);
    return new PointTrainer(ctx, loadStack(fs, p, [ctx.layer]), p.train, p.y);
  }

  async train(job: PointJob): Promise<PointRecord> {
    const C = this.ctx.classes.length;
    if (!this.orders.has(job.seed)) this.orders.set(job.seed, classOrders(this.trainClips, this.y, C, job.seed));
    return trainPoint(
      this.full,
      this.trainClips,
      shotSubset(this.orders.get(job.seed)!, job.k),
      job.k,
      job.seed,
      this.ctx.protocol,
      this.ctx.device,
    );
  }
}

/** Train every job, `workers` at a time; `onPoint` is called in this thread as points finish. */
export async function runPoints(
  ctx: PointContext,
  jobs: readonly PointJob[],
  workers: number,
  onPoint: (r: PointRecord, seconds: number) => void,
): Promise<void> {
  if (jobs.length === 0) return;
  if (workers <= 1 || jobs.length === 1) {
    const t = PointTrainer.open(ctx);
    for (const job of jobs) {
      const t0 = Date.now();
      onPoint(await t.train(job), (Date.now() - t0) / 1000);
    }
    return;
  }
  const queue = [...jobs];
  let failure: unknown;
  const pool = Array.from({ length: Math.min(workers, jobs.length) }, () => startWorker(import.meta.url, 'labelEfficiencyThread', ctx));
  const send = (w: Worker, c: PointCommand) => w.postMessage(c);
  const fail = (err: unknown) => {
    if (failure === undefined) failure = err;
    queue.length = 0;
  };
  await Promise.all(
    pool.map(
      (w) =>
        new Promise<void>((resolve) => {
          const next = () => {
            const job = queue.shift();
            send(w, job ? { type: 'job', job } : { type: 'stop' });
          };
          w.on('message', (m: PointMessage) => {
            try {
              if (m.type === 'point') onPoint(m.record, m.seconds);
              else if (m.type === 'done') next();
              else {
                fail(fromWire(m.error));
                next();
              }
            } catch (err) {
              fail(err);
            }
          });
          w.on('error', fail);
          w.on('exit', (code) => {
            if (code !== 0) fail(new BioprobeError('probe', 'worker-exit', `a label-efficiency worker thread exited with code ${code}`));
            resolve();
          });
          next();
        }),
    ),
  );
  if (failure !== undefined) throw failure;
  if (queue.length > 0)
    throw new BioprobeError('probe', 'worker-exit', 'label-efficiency worker threads ended before all points were trained');
}

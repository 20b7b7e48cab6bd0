/**
 * A label-efficiency worker thread (started by labelEfficiencyWorkers.ts): opens the curve's layer
 * once, then trains the points it is sent, one at a time. Messages out: `point` (a finished point),
 * `done` (ready for the next), `error` (the point failed; the pool stops handing out points).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toWire } from '../util/worker.js';
import { PointTrainer, type PointCommand, type PointContext, type PointMessage } from './labelEfficiencyWorkers.js';

const port = parentPort;
if (port) {
  const ctx = workerData as PointContext;
  let trainer: PointTrainer | undefined;
  port.on('message', async (cmd: PointCommand) => {
    if (cmd.type === 'stop') {
      port.close();
      return;
    }
    try {
      trainer ??= PointTrainer.open(ctx);
      const t0 = Date.now();
      const record = await trainer.train(cmd.job);
      port.postMessage({ type: 'point', record, seconds: (Date.now() - t0) / 1000 } satisfies PointMessage);
      port.postMessage({ type: 'done' } satisfies PointMessage);
    } catch (err) {
      port.postMessage({ type: 'error', error: toWire(err) } satisfies PointMessage);
    }
  });
}

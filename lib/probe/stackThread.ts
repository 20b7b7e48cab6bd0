/**
 * A probe worker thread (started by stackWorkers.ts): opens the run's features once, then trains the stack
 * tasks it is sent, one at a time, with its own onnxruntime sessions. Messages out: `epoch` (progress),
 * `seed` (a finished seed's outcomes), `done` (ready for the next task), `error` (the task failed).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toWire, type WireError } from '../util/worker.js';
import { openContext, runTask, type OpenedData, type SeedResult, type StackTask, type TaskContext } from './tasks.js';

export type WorkerMessage =
  | { type: 'epoch'; task: number; seed: number; epoch: number; valUars: (number | null)[] }
  | { type: 'seed'; result: SeedResult }
  | { type: 'done'; task: number }
  | { type: 'error'; task: number; error: WireError };

/** Messages in: a task to run, or `stop` (finish: between epochs if a task is running, then exit). */
export type WorkerCommand = { type: 'task'; task: StackTask } | { type: 'stop' };

/** Thrown inside a task when the pool asked this worker to stop. */
class Stopped extends Error {}

const port = parentPort;
if (port) {
  const ctx = workerData as TaskContext;
  let data: OpenedData | undefined;
  let stopping = false;
  let busy = false;
  port.on('message', async (cmd: WorkerCommand) => {
    if (cmd.type === 'stop') {
      stopping = true;
      if (!busy) port.close();
      return;
    }
    const task = cmd.task;
    busy = true;
    try {
      data ??= openContext(ctx);
      await runTask(ctx, data, task, {
        onEpoch: (t, seed, epoch, valUars) => {
          if (stopping) throw new Stopped();
          port.postMessage({ type: 'epoch', task: t.id, seed, epoch, valUars } satisfies WorkerMessage);
        },
        onSeed: (result) => port.postMessage({ type: 'seed', result } satisfies WorkerMessage),
      });
      port.postMessage({ type: 'done', task: task.id } satisfies WorkerMessage);
    } catch (err) {
      if (!(err instanceof Stopped)) port.postMessage({ type: 'error', task: task.id, error: toWire(err) } satisfies WorkerMessage);
    } finally {
      busy = false;
      if (stopping) port.close();
    }
  });
}

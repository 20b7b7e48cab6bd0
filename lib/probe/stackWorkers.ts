/**
 * Stack tasks across CPU cores. Small probe graphs do not split well over threads (onnxruntime's
 * intra-op threads help a [16 x 1536] step little), but independent stacks do: with W workers each
 * stack runs in a worker thread with its own single-threaded sessions (session.ts). Results are the
 * same whatever the worker count: a stack's training depends only on the stack (layers, seeds, data).
 * With one worker everything runs in the calling thread.
 */
import type { Worker } from 'node:worker_threads';
import { BioprobeError } from '../util/errors.js';
import { fromWire, startWorker } from '../util/worker.js';
import { openContext, runTask, type OpenedData, type StackTask, type TaskContext, type TaskHooks } from './tasks.js';
import type { WorkerCommand, WorkerMessage } from './stackThread.js';

/**
 * Run every task, `workers` at a time; hooks are called in this thread as results arrive. Workers are
 * never terminated while onnxruntime runs in them (that aborts the process): on an error the others
 * are asked to stop between epochs, and every worker exits on its own before this returns or throws.
 * `opened`: the context's features and partition when the caller has them already (used when the
 * tasks run in this thread; each worker opens its own).
 */
export async function runTasks(
  ctx: TaskContext,
  tasks: readonly StackTask[],
  workers: number,
  hooks: TaskHooks,
  opened?: OpenedData,
): Promise<void> {
  if (workers <= 1 || tasks.length <= 1) {
    const data = opened ?? openContext(ctx);
    for (const task of tasks) await runTask(ctx, data, task, hooks);
    return;
  }
  const queue = [...tasks];
  const byId = new Map(tasks.map((t) => [t.id, t]));
  let failure: unknown;
  const pool = Array.from({ length: Math.min(workers, tasks.length) }, () => startWorker(import.meta.url, 'stackThread', ctx));
  const send = (w: Worker, cmd: WorkerCommand) => w.postMessage(cmd);
  const fail = (err: unknown) => {
    if (failure !== undefined) return;
    failure = err;
    queue.length = 0;
    for (const w of pool) send(w, { type: 'stop' });
  };
  await Promise.all(
    pool.map(
      (w) =>
        new Promise<void>((resolve) => {
          const next = () => {
            const task = queue.shift();
            send(w, task ? { type: 'task', task } : { type: 'stop' });
          };
          w.on('message', (m: WorkerMessage) => {
            if (failure !== undefined && m.type !== 'error') return;
            try {
              if (m.type === 'epoch') hooks.onEpoch?.(byId.get(m.task)!, m.seed, m.epoch, m.valUars);
              else if (m.type === 'seed') hooks.onSeed(m.result);
              else if (m.type === 'done') next();
              else fail(fromWire(m.error));
            } catch (err) {
              fail(err);
            }
          });
          w.on('error', fail);
          w.on('exit', (code) => {
            if (code !== 0) fail(new BioprobeError('probe', 'worker-exit', `a probe worker thread exited with code ${code}`));
            resolve();
          });
          next();
        }),
    ),
  );
  if (failure !== undefined) throw failure;
  if (queue.length > 0) throw new BioprobeError('probe', 'worker-exit', 'probe worker threads ended before all stacks were trained');
}

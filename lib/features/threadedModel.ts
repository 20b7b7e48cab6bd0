/**
 * A ClipModel whose model runs in a worker thread (modelThread.ts), so that inference overlaps with
 * decoding, pooling bookkeeping and writing on the main thread.
 *
 * Protocol: the worker answers `{ready: true, info}` or `{ready: false, error}` once; then each
 * `{id, chunks}` request (sample buffers transferred) gets `{id, rows, frames, batching}` or `{id, error}`
 * (requests batched together are answered together);
 * `{close: true}` disposes the session and ends the worker.
 */
import type { TappedModel } from '../models/tap.js';
import { BioprobeError } from '../util/errors.js';
import type { BatchingReport } from './batching.js';
import type { ModelSpec } from './model.js';
import type { ClipModel, PooledClip } from './pipeline.js';
import { fromWire, startWorker, type WireError } from '../util/worker.js';

interface WorkerModelInfo {
  layers: number;
  dim: number;
  layer0: string;
  tapped: TappedModel;
}

type Reply = { id: number; rows: Float32Array[]; frames: number; batching?: BatchingReport } | { id: number; error: WireError };

/** Open `spec` in a worker thread; resolves once the model is loaded (or rejects with its error). */
export function openWorkerModel(spec: ModelSpec): Promise<{ model: ClipModel; info: WorkerModelInfo }> {
  const worker = startWorker(import.meta.url, 'modelThread', spec);
  const pending = new Map<number, { resolve: (p: PooledClip) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let dead: Error | undefined;
  const failAll = (err: Error) => {
    dead = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  return new Promise((resolve, reject) => {
    worker.once('error', (err) => {
      const e = new BioprobeError('model', 'worker-failed', `the model worker failed: ${err.message}`, { cause: err });
      failAll(e);
      reject(e);
    });
    worker.once('exit', (code) => failAll(new BioprobeError('model', 'worker-exit', `the model worker exited (code ${code})`)));
    worker.once('message', (first: { ready: boolean; info?: WorkerModelInfo; error?: WireError }) => {
      if (!first.ready) {
        void worker.terminate();
        reject(fromWire(first.error ?? { name: 'Error', message: 'the model could not be opened' }));
        return;
      }
      let batching: BatchingReport | undefined;
      worker.on('message', (r: Reply) => {
        const p = pending.get(r.id);
        if (!p) return;
        pending.delete(r.id);
        if ('error' in r) p.reject(fromWire(r.error));
        else {
          batching = r.batching ?? batching;
          p.resolve({ rows: r.rows, frames: r.frames });
        }
      });
      const info = first.info!;
      const model: ClipModel = {
        layers: info.layers,
        width: info.dim,
        embedClip(chunks) {
          if (dead) return Promise.reject(dead);
          const id = nextId++;
          // copies: the caller's buffers may be views into a larger decoded file
          const own = chunks.map((c) => c.slice());
          return new Promise<PooledClip>((res, rej) => {
            pending.set(id, { resolve: res, reject: rej });
            worker.postMessage(
              { id, chunks: own },
              own.map((c) => c.buffer as ArrayBuffer),
            );
          });
        },
        batching: () => batching,
        async close() {
          if (dead) return;
          const exited = new Promise<void>((r) => worker.once('exit', () => r()));
          worker.postMessage({ close: true });
          await exited;
        },
      };
      resolve({ model, info });
    });
  });
}

/**
 * Worker-thread entry: opens the model (models stage: tapped or built graph) and answers "embed these
 * chunks" with the clip's pooled rows. onnxruntime-node's `session.run` blocks the thread it is called
 * on, so the model lives here and the main thread stays free to decode the next clips and write the
 * previous ones. Requests are served in arrival order; requests waiting together whose clips are one
 * chunk of one length go through the model as one batch when `spec.batch` allows (batching.ts).
 * Protocol in threadedModel.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openLayerModel } from '../models/layerModel.js';
import { Batcher } from './batching.js';
import type { ModelSpec } from './model.js';
import { toWire } from '../util/worker.js';

const port = parentPort!;
const spec = workerData as ModelSpec;

type Request = { id: number; chunks: Float32Array[] };

try {
  const model = await openLayerModel(spec.file, {
    id: spec.id,
    layer0: spec.layer0,
    cacheDir: spec.cacheDir,
    expectLayers: spec.expectLayers,
    session: { threads: spec.threads, device: spec.device },
  });
  const batcher = new Batcher(model, Math.max(1, spec.batch ?? 1));
  const pending: Request[] = [];
  let busy = false;
  let closing = false;
  let closed = false;

  /** The first waiting request and the ones that can share its forward pass. */
  const takeGroup = (): Request[] => {
    const first = pending.shift()!;
    const group = [first];
    const length = first.chunks.length === 1 ? first.chunks[0].length : -1;
    for (let i = 0; i < pending.length && group.length < batcher.report.max; ) {
      if (length > 0 && batcher.accepts(pending[i].chunks, length)) group.push(...pending.splice(i, 1));
      else i++;
    }
    return group;
  };

  const drain = async () => {
    if (busy) return;
    busy = true;
    try {
      while (pending.length > 0) {
        const group = takeGroup();
        const results = await batcher.run(group.map((r) => r.chunks));
        group.forEach((r, k) => {
          const res = results[k];
          if ('error' in res) port.postMessage({ id: r.id, error: toWire(res.error) });
          else
            port.postMessage(
              { id: r.id, rows: res.rows, frames: res.frames, batching: batcher.report },
              res.rows.map((x) => x.buffer as ArrayBuffer),
            );
        });
      }
    } finally {
      busy = false;
    }
    if (closing && !closed) {
      closed = true;
      await model.dispose();
      port.close();
    }
  };

  port.on('message', (msg: Request | { close: true }) => {
    if ('close' in msg) {
      closing = true;
      if (!busy) void drain();
      return;
    }
    pending.push(msg);
    // let the messages already sent arrive before starting, so that they can form a batch
    setImmediate(() => void drain());
  });
  port.postMessage({ ready: true, info: { layers: model.layers, dim: model.dim, layer0: model.layer0, tapped: model.tapped } });
} catch (err) {
  port.postMessage({ ready: false, error: toWire(err) });
}

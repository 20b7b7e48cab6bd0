/**
 * Worker-thread entry: opens the tapped model (models stage) and answers "embed these chunks" with the
 * clip's pooled rows. onnxruntime-node's `session.run` blocks the thread it is called on, so the model
 * lives here and the main thread stays free to decode the next clips and write the previous ones.
 * Requests are served one at a time, in arrival order. Protocol in threadedModel.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openLayerModel } from '../models/layerModel.js';
import { forwardOf, type ModelSpec } from './model.js';
import { poolClip } from './pipeline.js';
import { toWire } from '../util/worker.js';

const port = parentPort!;
const spec = workerData as ModelSpec;

try {
  const model = await openLayerModel(spec.file, {
    id: spec.id, layer0: spec.layer0, cacheDir: spec.cacheDir, expectLayers: spec.expectLayers,
    session: { threads: spec.threads, device: spec.device },
  });
  const forward = forwardOf(model);
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (msg: { id: number; chunks: Float32Array[] } | { close: true }) => {
    if ('close' in msg) {
      queue = queue.then(() => model.dispose()).finally(() => port.close());
      return;
    }
    queue = queue.then(async () => {
      try {
        const { rows, frames } = await poolClip(forward, msg.chunks);
        port.postMessage({ id: msg.id, rows, frames }, rows.map((r) => r.buffer as ArrayBuffer));
      } catch (err) {
        port.postMessage({ id: msg.id, error: toWire(err) });
      }
    });
  });
  port.postMessage({ ready: true, info: { layers: model.layers, dim: model.dim, layer0: model.layer0, tapped: model.tapped } });
} catch (err) {
  port.postMessage({ ready: false, error: toWire(err) });
}

/**
 * Runs in a child process (so onnxruntime's native loader messages stay out of the doctor's output):
 * builds a one-node ONNX graph (y = x + x) with the project's graph writer, runs it on each execution
 * provider named on the command line through the runtime door, and prints one JSON line:
 * `{"cpu": {"ok": true}, "cuda": {"ok": false, "error": ...}}`. Usage: node ortProbe.js cpu cuda
 */
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../onnx/builder.js';
import { parseDevice } from '../runtime/device.js';
import { tryDevice } from '../runtime/session.js';

/** The serialized graph y = x + x over float32 [4]. */
function tinyAddModel(): Uint8Array {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [4]);
  b.output(b.add(x, x), 'y', 'float32', [4]);
  return b.model('doctor', { producer: 'bioprobe-doctor' });
}

interface ProviderResult {
  ok: boolean;
  error?: string;
}

/** Create and run a session on `provider`; ok only when the result is right. */
async function tryProvider(provider: string): Promise<ProviderResult> {
  const x = new ort.Tensor('float32', new Float32Array([1, 2, 3, 4]), [4]);
  try {
    return await tryDevice(tinyAddModel(), { x }, parseDevice(provider), (out) => {
      const y = out.y.data as Float32Array;
      return y[3] === 8 ? undefined : `wrong result ${Array.from(y)}`;
    });
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split(/[\\/]/).pop()!);
if (isMain) {
  // no top-level await: the package must stay loadable with require() (notebooks)
  void (async () => {
    const out: Record<string, ProviderResult> = {};
    for (const p of process.argv.slice(2)) out[p] = await tryProvider(p);
    process.stdout.write(JSON.stringify(out) + '\n');
  })();
}

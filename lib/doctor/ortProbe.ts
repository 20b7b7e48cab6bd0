/**
 * Runs in a child process (so onnxruntime's native loader messages stay out of the doctor's output):
 * builds a one-node ONNX graph (y = x + x), creates a session on each execution provider named on the
 * command line, runs it, and prints one JSON line: `{"cpu": {"ok": true}, "cuda": {"ok": false, "error": ...}}`.
 * Usage: node ortProbe.js cpu cuda
 */
import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** The serialized graph y = x + x over float32 [4]. */
export function tinyAddModel(): Uint8Array {
  const tensor = { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 4 }] } } };
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'bioprobe-doctor',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'doctor',
      node: [{ opType: 'Add', input: ['x', 'x'], output: ['y'] }],
      input: [{ name: 'x', type: tensor }],
      output: [{ name: 'y', type: tensor }],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

export interface ProviderResult {
  ok: boolean;
  error?: string;
}

/** Create and run a session on `provider`; ok only when the result is right. */
export async function tryProvider(provider: string): Promise<ProviderResult> {
  try {
    const session = await ort.InferenceSession.create(tinyAddModel(), { executionProviders: [provider], logSeverityLevel: 4 });
    const out = await session.run({ x: new ort.Tensor('float32', new Float32Array([1, 2, 3, 4]), [4]) });
    const y = out.y.data as Float32Array;
    await session.release();
    return y[3] === 8 ? { ok: true } : { ok: false, error: `wrong result ${Array.from(y)}` };
  } catch (err) {
    return { ok: false, error: (err as Error).message.split('\n')[0].replace(/\u001b\[[0-9;]*m/g, '').slice(0, 300) };
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

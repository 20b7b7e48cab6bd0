/**
 * Model throughput on the full-size random HuBERT-base (made by `/usr/bin/python3 tools/export_models.py
 * --full`, ~360 MB in .cache/models/). Usage: npm run bench:models [-- <file.onnx>]
 * 1. tapping, cold (sha256 + load + structure + splice + write + one verification run) and warm (cache hit)
 * 2. session creation
 * 3. embed(): all 13 layers of one clip in one forward pass, 1 and 2 threads, clips of 1/5/10/30 s,
 *    in audio-seconds per wall-second; and the untapped file's single output for comparison
 *    (what exposing every layer costs).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { openLayerModel } from '../lib/models/layerModel.js';
import { createSession } from '../lib/runtime/session.js';
import { tapModel } from '../lib/models/tap.js';
import { dummyClip } from '../lib/models/verify.js';

const file = process.argv[2] ?? join(import.meta.dirname, '..', '.cache', 'models', 'hubert-base-random.onnx');
if (!existsSync(file)) {
  console.error(`bench:models: ${file} absent (make it with /usr/bin/python3 tools/export_models.py --full)`);
  process.exit(2);
}
const now = () => performance.now() / 1000;
const cacheDir = mkdtempSync(join(tmpdir(), 'bioprobe-bench-'));

let t = now();
const tapped = await tapModel(file, { cacheDir });
console.log(`tap (cold): ${(now() - t).toFixed(2)} s for ${tapped.layers} layers x ${tapped.dim}`);
t = now();
await tapModel(file, { cacheDir });
console.log(`tap (cached, sha256 of the source): ${(now() - t).toFixed(2)} s`);

for (const threads of [1, 2]) {
  t = now();
  const model = await openLayerModel(file, { cacheDir, session: { threads } });
  const plain = await createSession(file, { threads });
  console.log(`\nthreads ${threads}: session ${(now() - t).toFixed(2)} s (tapped + plain)`);
  const input = plain.inputNames[0];
  for (const seconds of [1, 5, 10, 30]) {
    const clip = dummyClip(seconds * 16000);
    await model.embed(clip); // warm-up
    const reps = seconds <= 5 ? 3 : 1;
    t = now();
    for (let i = 0; i < reps; i++) await model.embed(clip);
    const tapTime = (now() - t) / reps;
    t = now();
    for (let i = 0; i < reps; i++) await plain.run({ [input]: new ort.Tensor('float32', clip, [1, clip.length]) });
    const plainTime = (now() - t) / reps;
    console.log(
      `  ${String(seconds).padStart(2)} s clip: embed (13 layers) ${tapTime.toFixed(3)} s = ${(seconds / tapTime).toFixed(1)}x realtime; ` +
        `untapped last layer ${plainTime.toFixed(3)} s (${((tapTime / plainTime - 1) * 100).toFixed(0)}% overhead)`,
    );
  }
  await model.dispose();
  await plain.release();
}
rmSync(cacheDir, { recursive: true, force: true });

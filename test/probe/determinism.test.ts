/**
 * Results do not depend on --threads: 1, 2 and 4 threads give byte-identical files, for one stack
 * (which 2 or 4 intra-op threads used to train to other bits: onnxruntime splits sums by thread count)
 * and for one probe per stack (several worker threads).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticFeatures } from '../../lib/probe/synthetic.js';
import { runProbe } from '../../lib/probe/run.js';
import { DEFAULT_PROTOCOL } from '../../lib/probe/protocol.js';

const root = mkdtempSync(join(tmpdir(), 'bioprobe-probe-threads-'));
const feats = join(root, 'features');
// 256 dims: wide enough that onnxruntime's multi-threaded kernels split the products
writeSyntheticFeatures(feats, { n: 200, dim: 256, classes: 4, layers: 3, seed: 8, separation: 0.25 });
test.after(() => rmSync(root, { recursive: true, force: true }));

const FILES = [
  'results.csv',
  'history.csv',
  'summary.csv',
  'predictions/layer_00.test.npy',
  'predictions/layer_02.val.npy',
  'confusion/layer_01.test.json',
];

for (const stack of [3, 1]) {
  test(`--threads 1, 2 and 4 give the same bytes (${stack === 3 ? 'one stack of 3 probes' : 'three stacks of one probe'})`, async () => {
    const files: Buffer[][] = [];
    const layouts: string[] = [];
    for (const threads of [1, 2, 4]) {
      const out = join(root, `s${stack}-t${threads}`);
      await runProbe({ features: feats, out, seed: 21, seeds: 1, protocol: { ...DEFAULT_PROTOCOL, epochs: 4 }, stack, threads });
      files.push(FILES.map((f) => readFileSync(join(out, f))));
      const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { workers: number; threads_per_worker: number };
      layouts.push(`${m.workers}x${m.threads_per_worker}`);
    }
    for (const k of [1, 2])
      FILES.forEach((f, i) => assert.ok(files[k][i].equals(files[0][i]), `${f}: ${[1, 2, 4][k]} threads differ from 1`));
    assert.deepEqual(layouts, stack === 3 ? ['1x1', '1x1', '1x1'] : ['1x1', '2x1', '3x1']);
  });
}

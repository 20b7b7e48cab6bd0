import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { inlineLocalFunctions } from '../../lib/onnx/inline.js';
import { onnx, type ModelProto } from '../../lib/onnx/proto.js';

const dir = mkdtempSync(join(tmpdir(), 'bioprobe-inline-'));

/** y = Outer(x; a=0.25) where Outer(x) = Inner(Inner(x)) + x and Inner(x; alpha=a) = LeakyRelu(x, alpha) * 2. */
function model() {
  const f = (name: string, attrs: string[], node: object[]) => ({
    name,
    domain: 'test.fn',
    input: ['x'],
    output: ['y'],
    attribute: attrs,
    node,
    opsetImport: [
      { domain: '', version: 17 },
      { domain: 'test.fn', version: 1 },
    ],
  });
  return onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [
      { domain: '', version: 17 },
      { domain: 'test.fn', version: 1 },
    ],
    functions: [
      f(
        'Inner',
        ['alpha'],
        [
          { opType: 'LeakyRelu', input: ['x'], output: ['t'], attribute: [{ name: 'alpha', refAttrName: 'alpha', type: 1 }] },
          { opType: 'Add', input: ['t', 't'], output: ['y'] },
        ],
      ),
      f(
        'Outer',
        ['a'],
        [
          { opType: 'Inner', domain: 'test.fn', input: ['x'], output: ['u'], attribute: [{ name: 'alpha', refAttrName: 'a', type: 1 }] },
          { opType: 'Inner', domain: 'test.fn', input: ['u'], output: ['v'], attribute: [{ name: 'alpha', refAttrName: 'a', type: 1 }] },
          { opType: 'Add', input: ['v', 'x'], output: ['y'] },
        ],
      ),
    ],
    graph: {
      name: 'g',
      node: [
        { opType: 'Outer', domain: 'test.fn', name: 'call', input: ['x'], output: ['y'], attribute: [{ name: 'a', f: 0.25, type: 1 }] },
      ],
      input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 4 }] } } } }],
      output: [{ name: 'y', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 4 }] } } } }],
    },
  });
}

async function run(m: ModelProto, name: string): Promise<number[]> {
  const p = join(dir, name);
  writeFileSync(p, onnx.ModelProto.encode(m).finish());
  const s = await ort.InferenceSession.create(p);
  const r = await s.run({ x: new ort.Tensor('float32', new Float32Array([-4, -1, 0.5, 2]), [4]) });
  await s.release();
  return Array.from(r.y.data as Float32Array);
}

test('inlining nested local functions (attributes by reference) gives the same results', async () => {
  const m = model();
  const want = await run(m, 'functions.onnx');
  // by hand: Inner(x) = 2 * leaky(x, 0.25); y = Inner(Inner(x)) + x
  const inner = (x: number) => 2 * (x < 0 ? 0.25 * x : x);
  assert.deepEqual(
    want,
    [-4, -1, 0.5, 2].map((x) => inner(inner(x)) + x),
  );
  const nodes = inlineLocalFunctions(m)!;
  assert.deepEqual(
    nodes.map((n) => n.opType),
    ['LeakyRelu', 'Add', 'LeakyRelu', 'Add', 'Add'],
  );
  assert.ok(nodes.every((n) => n.opType !== 'LeakyRelu' || n.attribute![0].f === 0.25));
  const flat = model();
  flat.graph!.node = nodes;
  flat.functions = [];
  assert.deepEqual(await run(flat, 'inlined.onnx'), want);
  const plain = model();
  plain.functions = [];
  assert.equal(inlineLocalFunctions(plain), undefined, 'nothing to inline');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectModel } from '../../lib/models/inspect.js';
import { fixturePath, index, runCli } from './fixtures.js';

// Parameters are counted from float initializers. The export differs from torch's count only by
// GroupNorm's exported InstanceNormalization scale/bias (2 x conv channels = +64) and the folded
// weight-norm gain of the positional conv (-kernel = -16 when constant folding is on).
for (const [id, m] of Object.entries(index.models)) {
  test(`inspect ${id}: ${m.layers} layers of width ${m.dim}, parameters from initializers`, () => {
    const r = inspectModel(fixturePath(m.file));
    assert.equal(r.layers?.count, m.layers);
    assert.equal(r.layers?.dim, m.dim);
    assert.deepEqual(r.layers?.layer0, ['encoder-input', 'projection']);
    assert.ok(Math.abs(r.parameters - m.params) <= 64, `${r.parameters} vs torch ${m.params}`);
    assert.deepEqual(
      r.outputs.map((o) => o.name),
      m.outputs,
    );
    assert.equal(r.opset, m.opset);
    assert.deepEqual(r.weightTypes, ['float32']);
  });
}

test('bioprobe models inspect prints inputs, outputs, parameters and layers', () => {
  const r = runCli(['models', 'inspect', fixturePath(index.models.w2v2_ctc_tiny.file)], {
    env: { BIOPROBE_CACHE: mkdtempSync(join(tmpdir(), 'bp-')) },
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /inputs +input_values: float32 \[batch, samples\]/);
  assert.match(r.stdout, /outputs +logits: float32 \[batch, frames, 32\]/);
  assert.match(r.stdout, /parameters +284,672 \(0\.3 M/);
  assert.match(r.stdout, /layers +4 \(layer 0 \+ 3 transformer layers\), width 96/);
});

test('bioprobe models inspect --tap verifies the tapped graph; a text file fails with one line', () => {
  const env = { BIOPROBE_CACHE: mkdtempSync(join(tmpdir(), 'bp-')) };
  const r = runCli(['models', 'inspect', fixturePath(index.models.hubert_tiny_op14_anon.file), '--tap', 'projection'], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /tapped +5 outputs layer_00\.\.layer_04 of \[1, frames, 64\] verified/);
  const bad = runCli(['models', 'inspect', 'package.json'], { env });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^bioprobe: package\.json: not an ONNX model/);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
});

test("a base-size encoder (13 x 768) is told why its count differs from the paper's Table II; small ones are not", async () => {
  const { formatInspection, BASE_PARAMS_NOTE } = await import('../../lib/models/inspect.js');
  const base = {
    file: 'x.onnx',
    bytes: 1,
    producer: 'pytorch',
    opset: 17,
    nodes: 1,
    functions: 0,
    inputs: [],
    outputs: [],
    parameters: 94_371_840,
    weightTypes: ['float32'],
    externalData: [],
    layers: { count: 13, dim: 768, norm: 'post-ln' as const, method: 'structure' as const, layer0: ['encoder-input' as const] },
  };
  const lines = formatInspection(base as never);
  assert.ok(
    lines.some((l) => l.includes('94.4 M')),
    lines.join('\n'),
  );
  assert.ok(lines.includes(`note        ${BASE_PARAMS_NOTE}`));
  assert.match(BASE_PARAMS_NOTE, /94\.68 M/);
  const small = formatInspection({ ...base, layers: { ...base.layers, count: 5, dim: 64 } } as never);
  assert.ok(!small.some((l) => l.startsWith('note')));
});

/**
 * Graph variants made at test time from the committed fixtures, for exporters we cannot run here:
 * onnxruntime's fused SkipLayerNormalization (transformer optimiser output) and a fixed-length export.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLayerModel } from '../../lib/models/layerModel.js';
import { decodeModel, onnx, type NodeProto } from '../../lib/onnx/proto.js';
import { readNpy } from '../../lib/util/npy.js';
import { clip, fixturePath, index, relErr } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'bioprobe-variants-'));
const m = index.models.hubert_tiny;

/** Replace every residual Add feeding a LayerNormalization by com.microsoft SkipLayerNormalization. */
function fuseSkipLayerNorm(bytes: Uint8Array): { model: Uint8Array; fused: number } {
  const model = decodeModel(bytes, 'fixture');
  const g = model.graph!;
  const inits = new Set(g.initializer!.map((t) => t.name));
  const producers = new Map<string, NodeProto>();
  const uses = new Map<string, number>();
  for (const n of g.node!) {
    for (const o of n.output ?? []) producers.set(o, n);
    for (const i of n.input ?? []) uses.set(i, (uses.get(i) ?? 0) + 1);
  }
  const drop = new Set<NodeProto>();
  const nodes: NodeProto[] = [];
  for (const n of g.node!) {
    const add = n.opType === 'LayerNormalization' ? producers.get(n.input![0]) : undefined;
    if (
      add &&
      add.opType === 'Add' &&
      uses.get(n.input![0]) === 1 &&
      add.input!.every((x) => !inits.has(x) && producers.get(x)?.opType !== 'Constant')
    ) {
      drop.add(add);
      nodes.push({
        opType: 'SkipLayerNormalization',
        domain: 'com.microsoft',
        name: `${n.name}_skip`,
        input: [add.input![0], add.input![1], n.input![1], n.input![2]],
        output: [n.output![0]],
        attribute: (n.attribute ?? []).filter((a) => a.name === 'epsilon'),
      });
    } else nodes.push(n);
  }
  g.node = nodes.filter((n) => !drop.has(n));
  model.opsetImport!.push({ domain: 'com.microsoft', version: 1 });
  return { model: onnx.ModelProto.encode(model).finish(), fused: drop.size };
}

test('a graph with fused SkipLayerNormalization (Add + LN) taps and matches torchaudio', async () => {
  const { model, fused } = fuseSkipLayerNorm(readFileSync(fixturePath(m.file)));
  assert.equal(fused, 1 + 2 * (m.layers - 1), 'encoder LN + two per layer');
  const p = join(dir, 'skipln.onnx');
  writeFileSync(p, model);
  const lm = await openLayerModel(p, { cacheDir: dir, expectLayers: m.layers });
  try {
    const out = await lm.embed(clip('calls'));
    const ref = readNpy(fixturePath(m.refs.calls.layers)).data;
    const size = out.frames * out.dim;
    for (let l = 0; l < m.layers; l++) assert.ok(relErr(out.layers[l], ref.subarray(l * size, (l + 1) * size)) <= 1e-4, `layer ${l}`);
  } finally {
    await lm.dispose();
  }
});

test('a fixed-length export runs at its length and refuses others with a re-export hint', async () => {
  const model = decodeModel(readFileSync(fixturePath(m.file)), 'fixture');
  model.graph!.input![0].type!.tensorType!.shape!.dim = [{ dimValue: 1 }, { dimValue: 5920 }];
  const p = join(dir, 'fixed.onnx');
  writeFileSync(p, onnx.ModelProto.encode(model).finish());
  const lm = await openLayerModel(p, { cacheDir: dir });
  try {
    const out = await lm.embed(clip('am_tone'));
    assert.equal(out.frames, m.refs.am_tone.frames);
    await assert.rejects(lm.embed(clip('chirp')), /exported for exactly 5920 samples/);
  } finally {
    await lm.dispose();
  }
});

/** Put Identity nodes on the residual stream: every LayerNorm output reaches its Adds through one, every sum reaches its LayerNorm through one. */
function addIdentities(bytes: Uint8Array): Uint8Array {
  const model = decodeModel(bytes, 'fixture');
  const g = model.graph!;
  const nodes: NodeProto[] = [];
  const lnOut = new Set(g.node!.filter((n) => n.opType === 'LayerNormalization').map((n) => n.output![0]));
  for (const n of g.node!) {
    if (n.opType === 'Add') n.input = n.input!.map((x) => (lnOut.has(x) ? `${x}_id` : x));
    if (n.opType === 'LayerNormalization') {
      nodes.push({ opType: 'Identity', input: [n.input![0]], output: [`${n.input![0]}_pre`] });
      n.input = [`${n.input![0]}_pre`, ...n.input!.slice(1)];
    }
    nodes.push(n);
    if (n.opType === 'LayerNormalization') nodes.push({ opType: 'Identity', input: [n.output![0]], output: [`${n.output![0]}_id`] });
  }
  g.node = nodes;
  return onnx.ModelProto.encode(model).finish();
}

test('Identity nodes on the residual stream do not hide the layers', async () => {
  const p = join(dir, 'identities.onnx');
  writeFileSync(p, addIdentities(readFileSync(fixturePath(m.file))));
  const lm = await openLayerModel(p, { cacheDir: dir, expectLayers: m.layers, layer0: 'projection' });
  try {
    const out = await lm.embed(clip('chirp'));
    const ref = readNpy(fixturePath(m.refs.chirp.layers)).data;
    const size = out.frames * out.dim;
    for (let l = 1; l < m.layers; l++) assert.ok(relErr(out.layers[l], ref.subarray(l * size, (l + 1) * size)) <= 1e-4, `layer ${l}`);
    assert.ok(relErr(out.layers[0], readNpy(fixturePath(m.refs.chirp.projection)).data) <= 1e-4);
  } finally {
    await lm.dispose();
  }
});

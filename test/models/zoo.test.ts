import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../lib/models/registry.js';
import { zoo } from '../../lib/models/zoo.js';
import { runCli } from './fixtures.js';

test("the zoo holds Table II's seven models, 13 layers of width 768 each", () => {
  assert.deepEqual(zoo.ids(), ['aves-bio', 'hubert-base', 'w2v2-base', 'w2v2-base-100h', 'w2v2-base-960h', 'wavlm-base', 'wavlm-base-100h']);
  for (const e of zoo.list()) {
    assert.equal(e.layers, 13);
    assert.equal(e.dim, 768);
    assert.ok(e.params > 94e6 && e.params < 95e6, e.id);
    assert.equal(e.layer0, e.id === 'aves-bio' ? 'projection' : 'encoder-input', `${e.id}: the paper's layer-0 tap`);
    assert.equal(e.type, /100h|960h/.test(e.id) ? 'PT+FT' : 'PT');
    if (e.onnx) assert.doesNotMatch(e.onnx.file, /quant|fp16|int8|q4|bnb/, 'full precision by default');
  }
});

test('registries refuse duplicate ids and list known ids for unknown ones', () => {
  const r = new Registry<{ id: string }>('thing');
  r.register({ id: 'a' });
  assert.throws(() => r.register({ id: 'a' }), /thing already has an entry "a"/);
  assert.throws(() => zoo.get('hubert-large'), (e: Error & { hint?: string }) => /unknown model zoo id/.test(e.message) && /aves-bio/.test(e.hint ?? ''));
  assert.throws(() => zoo.register({ ...zoo.get('hubert-base') }), /already has an entry "hubert-base"/);
});

test('bioprobe models list shows every model with its source', () => {
  const r = runCli(['models', 'list', '--json'], { env: { BIOPROBE_CACHE: '/nonexistent-bioprobe-cache' } });
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as { id: string; onnx?: { file: string } }[];
  assert.equal(rows.length, 7);
  assert.equal(rows.find((x) => x.id === 'hubert-base')?.onnx?.file, 'onnx/model.onnx');
});

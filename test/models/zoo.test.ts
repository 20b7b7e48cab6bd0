import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../lib/models/registry.js';
import { zoo } from '../../lib/models/zoo.js';
import { runCli } from './fixtures.js';

test("the zoo holds Table II's seven models, 13 layers of width 768 each, from their original checkpoints", () => {
  const paper = zoo.list().filter((e) => e.paper);
  assert.deepEqual(
    paper.map((e) => e.id),
    ['aves-bio', 'hubert-base', 'w2v2-base', 'w2v2-base-100h', 'w2v2-base-960h', 'wavlm-base', 'wavlm-base-100h'],
  );
  for (const e of paper) {
    assert.equal(e.layers, 13);
    assert.equal(e.dim, 768);
    assert.ok(e.params! > 94e6 && e.params! < 95e6, e.id);
    assert.equal(e.layer0, e.id === 'aves-bio' ? 'projection' : 'encoder-input', `${e.id}: the paper's layer-0 tap`);
    assert.equal(e.type, /100h|960h/.test(e.id) ? 'PT+FT' : 'PT');
    if (e.onnx) assert.doesNotMatch(e.onnx.file, /quant|fp16|int8|q4|bnb/, 'full precision by default');
    if (e.source.kind === 'hf') assert.equal(e.source.repo, e.checkpoint, `${e.id}: the repository the paper names`);
  }
  const hf = Object.fromEntries(
    paper.filter((e) => e.source.kind === 'hf').map((e) => [e.id, e.source.kind === 'hf' ? e.source.repo : '']),
  );
  assert.deepEqual(hf, {
    'hubert-base': 'facebook/hubert-base-ls960',
    'w2v2-base': 'facebook/wav2vec2-base',
    'w2v2-base-100h': 'facebook/wav2vec2-base-100h',
    'w2v2-base-960h': 'facebook/wav2vec2-base-960h',
    'wavlm-base': 'microsoft/wavlm-base',
    'wavlm-base-100h': 'patrickvonplaten/wavlm-libri-clean-100h-base',
  });
  const aves = zoo.get('aves-bio').source;
  assert.deepEqual(aves.kind === 'url' ? aves.files.map((f) => f.url) : [], [
    'https://storage.googleapis.com/esp-public-files/ported_aves/aves-base-bio.torchaudio.pt',
    'https://storage.googleapis.com/esp-public-files/ported_aves/aves-base-bio.torchaudio.model_config.json',
  ]);
});

test('extras: BirdAVES and large HuBERT / wav2vec 2.0; every pin is a full commit hash', () => {
  const extras = zoo.list().filter((e) => !e.paper);
  for (const id of ['birdaves-biox-base', 'birdaves-biox-large', 'birdaves-bioxn-large', 'hubert-large', 'w2v2-large-lv60'])
    assert.ok(
      extras.some((e) => e.id === id),
      id,
    );
  for (const e of extras) {
    assert.equal(e.layer0, e.id.startsWith('birdaves') ? 'projection' : 'encoder-input', e.id);
    assert.deepEqual([e.layers, e.dim], /large/.test(e.id) ? [25, 1024] : [13, 768], e.id);
  }
  for (const e of zoo.list()) if (e.source.kind === 'hf' && e.source.revision) assert.match(e.source.revision, /^[0-9a-f]{40}$/, e.id);
});

test('registries refuse duplicate ids and list known ids for unknown ones', () => {
  const r = new Registry<{ id: string }>('thing');
  r.register({ id: 'a' });
  assert.throws(() => r.register({ id: 'a' }), /thing already has an entry "a"/);
  assert.throws(
    () => zoo.get('hubert-xxl'),
    (e: Error & { hint?: string }) => /unknown model zoo id/.test(e.message) && /aves-bio/.test(e.hint ?? ''),
  );
  assert.throws(() => zoo.register({ ...zoo.get('hubert-base') }), /already has an entry "hubert-base"/);
});

test('bioprobe models list shows every model with its source', () => {
  const r = runCli(['models', 'list', '--json'], { env: { BIOPROBE_CACHE: '/nonexistent-bioprobe-cache' } });
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as { id: string; paper: boolean; onnx?: { file: string }; source: { repo?: string } }[];
  assert.equal(rows.length, zoo.ids().length);
  assert.equal(rows.filter((x) => x.paper).length, 7);
  assert.equal(rows.find((x) => x.id === 'hubert-base')?.onnx?.file, 'onnx/model.onnx');
  assert.equal(rows.find((x) => x.id === 'hubert-base')?.source.repo, 'facebook/hubert-base-ls960');
});

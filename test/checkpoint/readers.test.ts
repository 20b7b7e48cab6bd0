/**
 * Every reader against files torch, safetensors and transformers wrote (tools/make_checkpoints_*.py): the
 * tensors must be byte-identical to what torch holds after loading them, and their float32 conversion
 * identical to torch's `.float()` (exact: sha256 of the bytes, no tolerance).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openCheckpoint, openSafetensors, openTorchArchive, tableFromStateDict, PyDict, TensorRef } from '../../lib/checkpoint/index.js';
import { assertMatchesManifest, fix, manifest } from './helpers.js';

test('safetensors: every dtype (F64 F32 F16 BF16 I64 I32 I16 I8 U8 BOOL, 0-d, empty) and the metadata', () => {
  const src = openSafetensors(fix('dtypes.safetensors'));
  assertMatchesManifest(src, manifest(fix('dtypes.safetensors.json')), 'dtypes.safetensors');
  assert.equal(src.metadata.note, 'bioprobe fixture');
  src.close();
});

for (const file of ['dtypes.pt', 'dtypes_zip64.pt', 'dtypes_deflate.pt']) {
  test(`torch zip ${file}: dtypes, views sharing a storage, offsets, transposes, stride 0, Parameter, uint16 (_rebuild_tensor_v3)`, () => {
    const archive = openTorchArchive(fix(file));
    const root = archive.root;
    assert.ok(root instanceof PyDict);
    const entries = [...root.map].filter((e): e is [string, TensorRef] => e[1] instanceof TensorRef);
    const src = tableFromStateDict(archive, entries);
    assertMatchesManifest(src, manifest(fix('dtypes.pt.json')), file);
    const t = (k: string) => root.get(k) as TensorRef;
    assert.equal(t('param').parameter, true);
    assert.equal(t('slice').storage, t('base').storage, 'views share one storage record');
    assert.deepEqual(t('transposed').stride, [1, 6]);
    assert.deepEqual(t('expanded').stride, [0, 1]);
    const nested = root.get('nested') as PyDict;
    const list = nested.get('list') as unknown[];
    assert.ok(list[0] instanceof TensorRef);
    assert.deepEqual(list.slice(1), [3, 'x']);
    assert.deepEqual(nested.get('tuple'), [1.5, null, true]);
    src.close();
  });
}

const MODELS: [string, string][] = [
  ['hf_wav2vec2_base', 'hf-safetensors'],
  ['hf_wav2vec2_large_ctc', 'hf-safetensors'],
  ['hf_hubert_base', 'hf-safetensors'],
  ['hf_wavlm_seqcls', 'hf-safetensors'],
  ['hf_hubert_large_sharded', 'hf-safetensors-sharded'],
  ['hf_wav2vec2_pretraining_bin', 'hf-bin'],
  ['hf_wav2vec2_pretraining_bin_sharded', 'hf-bin-sharded'],
  ['ta_hubert_tiny', 'torchaudio'],
  ['ta_w2v2_large_ctc_tiny', 'torchaudio'],
  ['fairseq_hubert_dictcfg', 'fairseq'],
  ['fairseq_wav2vec2_args', 'fairseq'],
  ['fairseq_w2v_ctc_plaincfg', 'fairseq'],
];

for (const [name, format] of MODELS) {
  test(`${name}: opened as ${format}, every stored tensor equal to torch's, exact parameter counts`, () => {
    const ckpt = openCheckpoint(fix(name));
    assert.equal(ckpt.format, format);
    const m = manifest(fix(name, 'manifest.json'));
    assertMatchesManifest(ckpt.tensors, m, name);
    const w = ckpt.canonical();
    assert.equal(w.parameters.total, m.parameters, 'total = every tensor of the state dict');
    if (m.encoder_parameters) assert.equal(w.parameters.encoder, m.encoder_parameters, 'encoder count as torch counts the base model');
    assert.equal(w.parameters.total, w.parameters.encoder + w.parameters.mask + w.parameters.extras);
    ckpt.close();
  });
}

test('a file inside a folder opens the same as the folder (config.json found beside it)', () => {
  const a = openCheckpoint(fix('hf_hubert_large_sharded', 'model.safetensors.index.json'));
  assert.equal(a.format, 'hf-safetensors-sharded');
  assert.equal(a.tensors.names().length, 58 + 4 + 4 * 2);
  a.close();
  const b = openCheckpoint(fix('ta_hubert_tiny', 'ta_hubert_tiny.torchaudio.pt'));
  assert.equal(b.format, 'torchaudio');
  b.close();
});

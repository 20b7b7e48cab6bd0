/**
 * Configs -> Wav2Vec2Arch for every source format, the canonical weights they map to (identical across
 * formats holding the same weights), and the weight-norm fold against the weight torch computes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readNpyHeader, readNpyRows } from '../../lib/util/npy.js';
import { CheckpointError } from '../../lib/util/errors.js';
import {
  archFromFairseq,
  archFromHfConfig,
  archFromTorchaudio,
  canonicalShapes,
  fairseqModelConfig,
  frameCount,
  openCheckpoint,
  parseConvLayers,
  POS_CONV_WEIGHT,
  type Wav2Vec2Arch,
} from '../../lib/checkpoint/index.js';
import { f32bytes, fix, sha256 } from './helpers.js';

const SMALL_CONV = [
  { dim: 16, kernel: 10, stride: 5 },
  ...Array(4).fill({ dim: 16, kernel: 3, stride: 2 }),
  ...Array(2).fill({ dim: 16, kernel: 2, stride: 2 }),
];
const tiny = {
  convLayers: SMALL_CONV,
  hiddenSize: 32,
  numLayers: 2,
  numHeads: 2,
  ffnDim: 64,
  activation: 'gelu',
  featExtractActivation: 'gelu',
  convNormEps: 1e-5,
  featureProjectionLayerNorm: true,
  posConvGroups: 4,
};
const postLn = { ...tiny, layout: 'post-ln', featExtractNorm: 'group', convBias: false, layerNormEps: 1e-5 } as const;
const preLn = { ...tiny, layout: 'pre-ln', featExtractNorm: 'layer', convBias: true } as const;

const EXPECTED: Record<string, Omit<Wav2Vec2Arch, 'source'> & { source: Wav2Vec2Arch['source'] }> = {
  hf_wav2vec2_base: { ...postLn, family: 'wav2vec2', posConvKernel: 8, source: 'hf' },
  hf_wav2vec2_large_ctc: { ...preLn, family: 'wav2vec2', posConvKernel: 8, layerNormEps: 1e-6, source: 'hf' },
  hf_hubert_base: { ...postLn, family: 'hubert', posConvKernel: 8, source: 'hf' },
  hf_wavlm_seqcls: {
    ...postLn,
    family: 'wavlm',
    posConvKernel: 8,
    source: 'hf',
    relativePositionBias: { numBuckets: 16, maxDistance: 40, gated: true },
  },
  hf_hubert_large_sharded: { ...preLn, family: 'hubert', posConvKernel: 8, layerNormEps: 1e-5, source: 'hf' },
  hf_wav2vec2_pretraining_bin: { ...postLn, family: 'wav2vec2', posConvKernel: 8, source: 'hf' },
  ta_hubert_tiny: { ...postLn, family: 'hubert', posConvKernel: 8, source: 'torchaudio' },
  ta_w2v2_large_ctc_tiny: { ...preLn, family: 'wav2vec2', posConvKernel: 5, layerNormEps: 1e-5, source: 'torchaudio' },
  fairseq_hubert_dictcfg: { ...postLn, family: 'hubert', posConvKernel: 8, source: 'fairseq' },
  fairseq_wav2vec2_args: { ...postLn, family: 'wav2vec2', posConvKernel: 8, source: 'fairseq' },
  fairseq_w2v_ctc_plaincfg: { ...preLn, family: 'wav2vec2', posConvKernel: 5, layerNormEps: 1e-5, source: 'fairseq' },
};

for (const [name, want] of Object.entries(EXPECTED)) {
  test(`${name}: architecture, frames of the references, positional conv folded as torch computes it`, () => {
    const ckpt = openCheckpoint(fix(name));
    assert.deepEqual(ckpt.arch, want);
    for (const [clip, samples] of [
      ['tone', 4000],
      ['chirp', 6400],
    ] as const) {
      const h = readNpyHeader(fix(name, 'ref', `${clip}.hidden.npy`)).shape;
      assert.deepEqual(h, [want.numLayers + 1, frameCount(ckpt.arch, samples), want.hiddenSize]);
    }
    const w = ckpt.canonical();
    const ours = w.float32(POS_CONV_WEIGHT);
    const torch = readNpyRows(fix(name, 'ref', 'pos_conv_weight.npy')).data;
    assert.equal(ours.length, torch.length);
    let err = 0;
    let max = 0;
    for (let i = 0; i < ours.length; i++) {
      err = Math.max(err, Math.abs(ours[i] - torch[i]));
      max = Math.max(max, Math.abs(torch[i]));
    }
    assert.ok(err / max <= 1e-6, `weight-norm fold: max|ours - torch| / max|torch| = ${err / max} (tolerance 1e-6)`);
    assert.equal(w.posConv.dim, 2, 'all three libraries weight-norm over the kernel axis (dim=2)');
    ckpt.close();
  });
}

test('the same weights in torchaudio, fairseq DictConfig and fairseq Namespace files give identical canonical tensors', () => {
  for (const group of [
    ['ta_hubert_tiny', 'fairseq_hubert_dictcfg', 'fairseq_wav2vec2_args'],
    ['ta_w2v2_large_ctc_tiny', 'fairseq_w2v_ctc_plaincfg'],
  ]) {
    const [first, ...rest] = group.map((g) => openCheckpoint(fix(g)));
    const a = first.canonical();
    for (const other of rest) {
      const b = other.canonical();
      assert.deepEqual([...b.shapes], [...a.shapes]);
      for (const name of a.shapes.keys())
        assert.equal(sha256(f32bytes(b.float32(name))), sha256(f32bytes(a.float32(name))), `${name}: ${group[0]} vs ${other.file}`);
      other.close();
    }
    first.close();
  }
});

test('heads and pre-training tensors are extras; the mask embedding is named', () => {
  const ctc = openCheckpoint(fix('hf_wav2vec2_large_ctc')).canonical();
  assert.deepEqual(ctc.extras.sort(), ['lm_head.bias', 'lm_head.weight']);
  assert.equal(ctc.maskEmbedding, 'wav2vec2.masked_spec_embed');
  const cls = openCheckpoint(fix('hf_wavlm_seqcls')).canonical();
  assert.deepEqual(cls.extras.sort(), ['classifier.bias', 'classifier.weight', 'layer_weights', 'projector.bias', 'projector.weight']);
  const fs = openCheckpoint(fix('fairseq_hubert_dictcfg')).canonical();
  assert.deepEqual(fs.extras.sort(), ['final_proj.bias', 'final_proj.weight', 'label_embs_concat']);
  assert.deepEqual(fs.sources.get('feature_projection.projection.weight'), ['post_extract_proj.weight']);
  assert.deepEqual(fs.sources.get(POS_CONV_WEIGHT), ['encoder.pos_conv.0.weight_g', 'encoder.pos_conv.0.weight_v']);
  const ft = openCheckpoint(fix('fairseq_w2v_ctc_plaincfg')).canonical();
  assert.deepEqual(ft.extras.sort(), ['w2v_encoder.proj.bias', 'w2v_encoder.proj.weight']);
  assert.deepEqual(ft.sources.get('encoder.layers.1.feed_forward.output_dense.bias'), ['w2v_encoder.w2v_model.encoder.layers.1.fc2.bias']);
  const hf = openCheckpoint(fix('hf_wav2vec2_base')).canonical();
  assert.deepEqual(hf.sources.get(POS_CONV_WEIGHT), [
    'encoder.pos_conv_embed.conv.parametrizations.weight.original0',
    'encoder.pos_conv_embed.conv.parametrizations.weight.original1',
  ]);
  assert.equal(hf.posConv.stored, 'parametrizations');
  assert.equal(openCheckpoint(fix('hf_wav2vec2_pretraining_bin')).canonical().posConv.stored, 'weight_g/weight_v');
});

test('HF configs: class defaults for omitted keys, hubert without the projection LayerNorm, unsupported types say why', () => {
  const base = archFromHfConfig({ model_type: 'wav2vec2' }, 'c.json');
  assert.deepEqual(
    [base.hiddenSize, base.numLayers, base.numHeads, base.ffnDim, base.posConvKernel, base.posConvGroups, base.layout],
    [768, 12, 12, 3072, 128, 16, 'post-ln'],
  );
  assert.deepEqual(
    base.convLayers.map((c) => c.kernel),
    [10, 3, 3, 3, 3, 2, 2],
  );
  assert.equal(frameCount(base, 16000), 49);
  assert.deepEqual(archFromHfConfig({ model_type: 'wavlm' }, 'c.json').relativePositionBias, {
    numBuckets: 320,
    maxDistance: 800,
    gated: true,
  });
  const noLn = archFromHfConfig({ model_type: 'hubert', feat_proj_layer_norm: false }, 'c.json');
  assert.equal(canonicalShapes(noLn).has('feature_projection.layer_norm.weight'), false);
  const bad = (cfg: Record<string, unknown>, re: RegExp) =>
    assert.throws(
      () => archFromHfConfig(cfg as never, 'c.json'),
      (e: unknown) => e instanceof CheckpointError && re.test(e.message) && e.file === 'c.json',
    );
  bad({ model_type: 'wav2vec2-conformer' }, /conformer/);
  bad({ model_type: 'wav2vec2', adapter_attn_dim: 16 }, /adapter/);
  bad({ model_type: 'wav2vec2', hidden_size: 30, num_attention_heads: 4 }, /divisible/);
  bad({ model_type: 'wav2vec2', conv_dim: [512, 512], conv_kernel: [10], conv_stride: [5, 2] }, /conv_dim/);
  bad({ model_type: 'wav2vec2', feat_extract_norm: 'batch' }, /feat_extract_norm/);
});

test('torchaudio configs: AVES arguments required, default conv stack when null', () => {
  const a = archFromTorchaudio(
    {
      extractor_mode: 'group_norm',
      extractor_conv_layer_config: null,
      extractor_conv_bias: false,
      encoder_embed_dim: 768,
      encoder_pos_conv_kernel: 128,
      encoder_pos_conv_groups: 16,
      encoder_num_layers: 12,
      encoder_num_heads: 12,
      encoder_ff_interm_features: 3072,
      encoder_layer_norm_first: false,
    },
    'aves.json',
    'hubert',
  );
  assert.equal(a.convLayers.length, 7);
  assert.equal(a.convLayers[0].dim, 512);
  assert.throws(() => archFromTorchaudio({ extractor_mode: 'group_norm' }, 'aves.json'), /lacks extractor_conv_bias/);
});

test('fairseq: conv_feature_layers parsed without eval; fine-tunes follow w2v_args; unsupported layer types refused', () => {
  const std = parseConvLayers('[(512, 10, 5)] + [(512, 3, 2)] * 4 + [(512,2,2)] + [(512,2,2)]', 'f.pt');
  assert.deepEqual(
    std.map((c) => [c.dim, c.kernel, c.stride]),
    [
      [512, 10, 5],
      [512, 3, 2],
      [512, 3, 2],
      [512, 3, 2],
      [512, 3, 2],
      [512, 2, 2],
      [512, 2, 2],
    ],
  );
  assert.deepEqual(parseConvLayers('2 * [(1, 2, 3)]', 'f.pt'), [
    { dim: 1, kernel: 2, stride: 3 },
    { dim: 1, kernel: 2, stride: 3 },
  ]);
  for (const bad of ["__import__('os').system('x')", '[(1, 2)]', '[(1, 2, 3)] + 4', '[(1, 2, 3)']) {
    assert.throws(
      () => parseConvLayers(bad, 'f.pt'),
      (e: unknown) => e instanceof CheckpointError && e.code === 'config-invalid',
      bad,
    );
  }
  assert.throws(
    () => fairseqModelConfig({ model: { _name: 'wav2vec_ctc', w2v_path: '/x.pt', w2v_args: null } }, null as never, 'f.pt'),
    /does not embed its pre-training config/,
  );
  assert.throws(() => archFromFairseq({ layer_type: 'conformer' }, 'f.pt'), /conformer/);
  const d = archFromFairseq({}, 'f.pt');
  assert.deepEqual([d.hiddenSize, d.numLayers, d.posConvKernel, d.featExtractNorm], [768, 12, 128, 'group']);
});

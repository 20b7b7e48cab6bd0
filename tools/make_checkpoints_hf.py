#!/work/venv/bin/python
"""Tiny random-init transformers checkpoints in every HF format, with their reference hidden states.

Run with the venv (torch 2.x, transformers 5.18, safetensors), never at run or test time:
    /work/venv/bin/python tools/make_checkpoints_hf.py          # -> test/fixtures/checkpoints/hf_*, dtypes.*
    /work/venv/bin/python tools/make_checkpoints_hf.py --full   # + full-size random wav2vec2-base -> .cache/checkpoints/
                                                                #   (not committed; for bench/checkpoint.ts)

Made by transformers itself (save_pretrained) except where an older format has to be reproduced by hand
(said per fixture). References are computed before anything else touches the model (no onnx export here).
Each folder: config.json, the weights, manifest.json (every stored tensor: dtype, shape, sha256 of its
bytes, sum), ref/<clip>.hidden.npy = transformers' hidden_states [L+1, T, D], ref/<clip>.projection.npy =
feature projection output (AVES' layer 0), and for pre-LN models ref/<clip>.last_raw.npy = the last
layer's output before the encoder's final LayerNorm (bioprobe's convention, docs/MODELS.md).
"""
import json
import os
import shutil
import sys
import zipfile

import numpy as np
import torch
import transformers
from safetensors.torch import load_file, save_file
from transformers import (HubertConfig, HubertModel, Wav2Vec2Config, Wav2Vec2ForCTC, Wav2Vec2ForPreTraining,
                          Wav2Vec2Model, WavLMConfig, WavLMForSequenceClassification)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checkpoint_common import OUT, inputs, perturb, save_refs, write_inputs, write_manifest  # noqa: E402

SMALL = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
             conv_dim=(16,) * 7, conv_kernel=(10, 3, 3, 3, 3, 2, 2), conv_stride=(5, 2, 2, 2, 2, 2, 2),
             num_conv_pos_embeddings=8, num_conv_pos_embedding_groups=4, vocab_size=8)
PRE_LN = dict(do_stable_layer_norm=True, feat_extract_norm='layer', conv_bias=True)


def base_of(model):
    return getattr(model, model.base_model_prefix, model)


@torch.no_grad()
def references(model, folder, pre_ln):
    model.eval()
    base = base_of(model)
    for clip, wav in inputs().items():
        seen = {}
        h1 = base.feature_projection.register_forward_hook(lambda m, i, o: seen.__setitem__('proj', o[0] if isinstance(o, tuple) else o))
        h2 = base.encoder.layers[-1].register_forward_hook(lambda m, i, o: seen.__setitem__('last', o[0]))
        out = base(torch.from_numpy(wav)[None], output_hidden_states=True)
        h1.remove()
        h2.remove()
        hidden = torch.stack([h[0] for h in out.hidden_states]).numpy()
        more = {'projection': seen['proj'][0].numpy()}
        if pre_ln:
            more['last_raw'] = seen['last'][0].numpy()
        save_refs(folder, clip, hidden, **more)
    return hidden


def pos_conv_weight(model):
    """The weight torch computes from the weight-norm parametrization (what every naming must fold to)."""
    return base_of(model).encoder.pos_conv_embed.conv.weight.detach().clone()


def fresh(name):
    d = os.path.join(OUT, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def save_hf(make, name, seed, pre_ln=False, **save_kw):
    torch.manual_seed(seed)
    model = make()
    perturb(model, seed)
    d = fresh(name)
    references(model, d, pre_ln)
    np.save(os.path.join(d, 'ref', 'pos_conv_weight.npy'), pos_conv_weight(model).numpy())
    model.save_pretrained(d, **save_kw)
    stored = {}
    for f in sorted(os.listdir(d)):
        if f.endswith('.safetensors'):
            stored.update(load_file(os.path.join(d, f)))
    write_manifest(os.path.join(d, 'manifest.json'), stored, {
        'made_by': 'transformers %s save_pretrained (%s)' % (transformers.__version__, type(model).__name__),
        'encoder_parameters': sum(p.numel() for p in base_of(model).parameters()) - base_of(model).masked_spec_embed.numel()
        if getattr(base_of(model), 'masked_spec_embed', None) is not None else None})
    return model, d


def legacy_bin(seed):
    """Wav2Vec2ForPreTraining saved the 2021 way: pytorch_model.bin (torch zip) with weight_g/weight_v names.
    transformers 5 no longer writes .bin files: the state dict is renamed and torch.save'd by hand, then
    loaded back by transformers to check that it takes the file and computes the same hidden states."""
    cfg = Wav2Vec2Config(**SMALL, num_codevectors_per_group=4, num_codevector_groups=2, codevector_dim=8,
                         proj_codevector_dim=8)
    torch.manual_seed(seed)
    model = Wav2Vec2ForPreTraining(cfg)
    perturb(model, seed)
    d = fresh('hf_wav2vec2_pretraining_bin')
    hidden = references(model, d, False)
    np.save(os.path.join(d, 'ref', 'pos_conv_weight.npy'), pos_conv_weight(model).numpy())
    sd = {}
    for k, v in model.state_dict().items():
        k = k.replace('parametrizations.weight.original0', 'weight_g').replace('parametrizations.weight.original1', 'weight_v')
        sd[k] = v.clone()
    torch.save(sd, os.path.join(d, 'pytorch_model.bin'))
    cfg.save_pretrained(d)
    back = Wav2Vec2ForPreTraining.from_pretrained(d, use_safetensors=False).eval()
    with torch.no_grad():
        again = back.wav2vec2(torch.from_numpy(inputs()['chirp'])[None], output_hidden_states=True).hidden_states
    assert np.array_equal(torch.stack([h[0] for h in again]).numpy(), hidden), 'transformers read the .bin differently'
    write_manifest(os.path.join(d, 'manifest.json'), torch.load(os.path.join(d, 'pytorch_model.bin')), {
        'made_by': 'torch %s torch.save of Wav2Vec2ForPreTraining.state_dict() renamed to weight_g/weight_v' % torch.__version__})
    # The same state dict as a sharded .bin repo (two torch.save shards + pytorch_model.bin.index.json), loaded
    # back by transformers the same way.
    s = fresh('hf_wav2vec2_pretraining_bin_sharded')
    names = list(sd)
    shards = {'pytorch_model-00001-of-00002.bin': names[:len(names) // 2], 'pytorch_model-00002-of-00002.bin': names[len(names) // 2:]}
    for f, part in shards.items():
        torch.save({k: sd[k] for k in part}, os.path.join(s, f))
    with open(os.path.join(s, 'pytorch_model.bin.index.json'), 'w') as fh:
        json.dump({'metadata': {'total_size': sum(v.numel() * v.element_size() for v in sd.values())},
                   'weight_map': {k: f for f, part in shards.items() for k in part}}, fh, indent=2)
    cfg.save_pretrained(s)
    back = Wav2Vec2ForPreTraining.from_pretrained(s, use_safetensors=False).eval()
    with torch.no_grad():
        again = back.wav2vec2(torch.from_numpy(inputs()['chirp'])[None], output_hidden_states=True).hidden_states
    assert np.array_equal(torch.stack([h[0] for h in again]).numpy(), hidden), 'transformers read the sharded .bin differently'
    shutil.copy(os.path.join(d, 'manifest.json'), os.path.join(s, 'manifest.json'))


def dtypes_files():
    """Every dtype and tensor layout the readers meet: safetensors (F64..BOOL) and a torch zip with views
    sharing one storage, a transposed tensor, a storage offset, a stride-0 expand, a Parameter, a 0-d tensor,
    an empty tensor and a uint16 tensor (torch >= 2.3 pickles it with _rebuild_tensor_v3)."""
    g = torch.Generator().manual_seed(3)
    f = torch.randn(4, 6, generator=g)
    plain = {
        'f32': f, 'f64': torch.randn(3, 2, generator=g, dtype=torch.float64) * 1e3,
        'f16': (torch.randn(5, generator=g) * 100).half(), 'bf16': (torch.randn(2, 3, generator=g) * 7).bfloat16(),
        'i64': torch.tensor([-(2 ** 40), -1, 0, 7, 2 ** 52 + 1]), 'i32': torch.tensor([-5, 6], dtype=torch.int32),
        'i16': torch.tensor([-300, 2], dtype=torch.int16), 'i8': torch.tensor([-8, 9], dtype=torch.int8),
        'u8': torch.tensor([0, 255], dtype=torch.uint8), 'bool': torch.tensor([True, False, True]),
        'scalar': torch.tensor(2.5), 'empty': torch.zeros(0, 3),
    }
    save_file(plain, os.path.join(OUT, 'dtypes.safetensors'), metadata={'note': 'bioprobe fixture'})
    write_manifest(os.path.join(OUT, 'dtypes.safetensors.json'), load_file(os.path.join(OUT, 'dtypes.safetensors')))
    base = torch.randn(40, generator=g)
    views = dict(plain)
    views.update({
        'base': base, 'slice': base[5:17], 'matrix': base[4:28].view(4, 6), 'transposed': base[4:28].view(4, 6).t(),
        'strided': base[1::3], 'expanded': torch.randn(3, generator=g).expand(4, 3),
        'param': torch.nn.Parameter(torch.randn(2, 2, generator=g)), 'u16': torch.tensor([1, 65535, 300], dtype=torch.uint16),
        'nested': {'list': [torch.ones(2), 3, 'x'], 'tuple': (1.5, None, True)},
    })
    path = os.path.join(OUT, 'dtypes.pt')
    torch.save(views, path)
    loaded = torch.load(path, weights_only=True)
    loaded.pop('nested')
    write_manifest(os.path.join(OUT, 'dtypes.pt.json'), loaded)
    repack(path, os.path.join(OUT, 'dtypes_zip64.pt'), zipfile.ZIP_STORED, zip64=True)
    repack(path, os.path.join(OUT, 'dtypes_deflate.pt'), zipfile.ZIP_DEFLATED, zip64=False)


def repack(src, dst, compression, zip64):
    """The same archive rewritten by Python's zipfile: with zip64 records everywhere (its limits set to 0, as a
    file over 4 GB gets them) or with deflated entries; torch.load must read it back identically."""
    limits = zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT
    if zip64:
        zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = 0, 0
    try:
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, 'w', compression) as zout:
            for info in zin.infolist():
                zout.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), zin.read(info.filename), compression)
    finally:
        zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = limits
    a, b = torch.load(src, weights_only=True), torch.load(dst, weights_only=True)
    assert all(torch.equal(a[k], b[k]) for k in a if k != 'nested'), dst


def full():
    """Full-size random-init wav2vec2-base (95 M parameters) as today's safetensors and as a 2021-style .bin."""
    root = os.path.join(os.path.dirname(OUT), '..', '..', '.cache', 'checkpoints')
    torch.manual_seed(0)
    model = Wav2Vec2Model(Wav2Vec2Config()).eval()
    d = os.path.join(root, 'hf_wav2vec2_base_full')
    shutil.rmtree(d, ignore_errors=True)
    model.save_pretrained(d)
    encoder = sum(p.numel() for p in model.parameters()) - model.masked_spec_embed.numel()
    write_manifest(os.path.join(d, 'manifest.json'), load_file(os.path.join(d, 'model.safetensors')), {'encoder_parameters': encoder})
    b = os.path.join(root, 'hf_wav2vec2_base_full_bin')
    shutil.rmtree(b, ignore_errors=True)
    os.makedirs(b)
    sd = {k.replace('parametrizations.weight.original0', 'weight_g').replace('parametrizations.weight.original1', 'weight_v'): v
          for k, v in model.state_dict().items()}
    torch.save(sd, os.path.join(b, 'pytorch_model.bin'))
    model.config.save_pretrained(b)
    write_manifest(os.path.join(b, 'manifest.json'), sd, {'encoder_parameters': encoder})


def main():
    if '--full' in sys.argv:
        full()
    os.makedirs(OUT, exist_ok=True)
    write_inputs()
    save_hf(lambda: Wav2Vec2Model(Wav2Vec2Config(**SMALL)), 'hf_wav2vec2_base', 11)
    save_hf(lambda: Wav2Vec2ForCTC(Wav2Vec2Config(**SMALL, **PRE_LN, layer_norm_eps=1e-6)), 'hf_wav2vec2_large_ctc', 12, pre_ln=True)
    save_hf(lambda: HubertModel(HubertConfig(**SMALL)), 'hf_hubert_base', 13)
    save_hf(lambda: WavLMForSequenceClassification(WavLMConfig(**SMALL, num_buckets=16, max_bucket_distance=40,
                                                               use_weighted_layer_sum=True, num_labels=3)),
            'hf_wavlm_seqcls', 14)
    save_hf(lambda: HubertModel(HubertConfig(**SMALL, **PRE_LN)), 'hf_hubert_large_sharded', 15, pre_ln=True,
            max_shard_size='40KB')
    legacy_bin(16)
    dtypes_files()


if __name__ == '__main__':
    main()

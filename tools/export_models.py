#!/usr/bin/python3
"""Export small random-init wav2vec2-family models as single-output ONNX files, plus per-layer references.

Why: public ONNX exports of HuBERT / wav2vec 2.0 / AVES give only the final layer (or CTC logits);
bioprobe taps every layer out of such graphs. These fixtures have the same graph structure as the
public files (torch.onnx exports of torchaudio models, an HF-style module tree) at a tiny size, and the
reference hidden states computed by torchaudio itself, so the TypeScript tests check parity offline.

Run with Debian's torch (never at run time or test time):
    /usr/bin/python3 tools/export_models.py            # small fixtures -> test/fixtures/models/
    /usr/bin/python3 tools/export_models.py --full     # + full-size random HuBERT-base -> .cache/models/
    /usr/bin/python3 tools/export_models.py --from-torchaudio X.torchaudio.pt --out X.onnx
                                                       # an AVES-style checkpoint exported as AVES exports it
                                                       # (bench: the torch export of the model bioprobe builds)

Layer taps written for every model and clip (see docs/MODELS.md):
    layers[0]  = input of the first transformer layer ("encoder-input", HF hidden_states[0])
    layers[i]  = output of transformer layer i (torchaudio extract_features), i = 1..L
    projection = feature projection output ("projection", AVES layer 0), before the positional conv
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import onnx
import torch
import torchaudio
from torch import nn
from torch.nn import functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, 'test', 'fixtures', 'models')
CACHE = os.path.join(ROOT, '.cache', 'models')

# A conv stack with the standard kernels/strides (320x downsampling, 20 ms frames) but 32 channels.
SMALL_CONV = [(32, 10, 5)] + [(32, 3, 2)] * 4 + [(32, 2, 2)] * 2


def tiny_config(dim, layers, ff, aux=None, pos_kernel=16, pre_ln=False):
    return dict(
        extractor_mode='layer_norm' if pre_ln else 'group_norm', extractor_conv_layer_config=SMALL_CONV,
        extractor_conv_bias=pre_ln,
        encoder_embed_dim=dim, encoder_projection_dropout=0.0, encoder_pos_conv_kernel=pos_kernel,
        encoder_pos_conv_groups=4, encoder_num_layers=layers, encoder_num_heads=4,
        encoder_attention_dropout=0.0, encoder_ff_interm_features=ff, encoder_ff_interm_dropout=0.0,
        encoder_dropout=0.0, encoder_layer_norm_first=pre_ln, encoder_layer_drop=0.0, aux_num_out=aux)


def make_clips():
    """Deterministic synthetic clips (float32, 16 kHz, peak 1): a chirp in noise, a short AM tone, calls."""
    sr = 16000
    rng = np.random.RandomState(1234)
    t = np.arange(sr) / sr
    chirp = np.sin(2 * np.pi * (200 * t + 1900 * t ** 2)) + 0.1 * rng.randn(sr)
    t2 = np.arange(5920) / sr
    am = np.sin(2 * np.pi * 1200 * t2) * (0.5 + 0.5 * np.sin(2 * np.pi * 7 * t2))
    t3 = np.arange(int(2.5 * sr)) / sr
    env = (np.sin(2 * np.pi * 3 * t3) > 0.3).astype(np.float64)
    calls = env * sum(np.sin(2 * np.pi * k * 610 * t3) / k for k in range(1, 5)) + 0.05 * rng.randn(len(t3))
    clips = {'chirp': chirp, 'am_tone': am, 'calls': calls}
    return {k: (v / np.abs(v).max()).astype(np.float32) for k, v in clips.items()}


class LastLayer(nn.Module):
    """What AVES/torchaudio exports return: the last transformer layer only (or CTC logits with aux)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)[0]


@torch.no_grad()
def torchaudio_taps(model, wav):
    """Per-layer references from torchaudio itself: encoder-input, layers 1..L, projection."""
    x = torch.from_numpy(wav)[None]
    feats, _ = model.feature_extractor(x, None)
    proj = model.encoder.feature_projection(feats)
    enc_in = model.encoder.transformer._preprocess(proj)
    layers = model.extract_features(x)[0]
    return proj[0].numpy(), np.stack([enc_in[0].numpy()] + [h[0].numpy() for h in layers])


# ---- An HF-style module tree (transformers' Wav2Vec2Model naming and attention arithmetic) ----------
class HFConvLayer(nn.Module):
    def __init__(self, cin, cout, k, s, norm):
        super().__init__()
        self.conv = nn.Conv1d(cin, cout, k, s, bias=False)
        self.layer_norm = nn.GroupNorm(cout, cout, affine=True) if norm else None

    def forward(self, x):
        x = self.conv(x)
        if self.layer_norm is not None:
            x = self.layer_norm(x)
        return F.gelu(x)


class HFFeatureExtractor(nn.Module):
    def __init__(self, conv):
        super().__init__()
        chans = [1] + [c for c, _, _ in conv]
        self.conv_layers = nn.ModuleList(
            HFConvLayer(chans[i], c, k, s, i == 0) for i, (c, k, s) in enumerate(conv))

    def forward(self, x):
        x = x[:, None]
        for layer in self.conv_layers:
            x = layer(x)
        return x


class HFFeatureProjection(nn.Module):
    def __init__(self, cin, dim):
        super().__init__()
        self.layer_norm = nn.LayerNorm(cin, eps=1e-5)
        self.projection = nn.Linear(cin, dim)

    def forward(self, x):
        return self.projection(self.layer_norm(x))


class HFAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads, self.head_dim, self.scaling = heads, dim // heads, (dim // heads) ** -0.5
        self.k_proj, self.v_proj = nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.q_proj, self.out_proj = nn.Linear(dim, dim), nn.Linear(dim, dim)

    def _shape(self, x, t, b):
        return x.view(b, t, self.heads, self.head_dim).transpose(1, 2).contiguous()

    def forward(self, h):
        b, t, d = h.size()
        q = self.q_proj(h) * self.scaling
        k = self._shape(self.k_proj(h), -1, b)
        v = self._shape(self.v_proj(h), -1, b)
        shape = (b * self.heads, -1, self.head_dim)
        q = self._shape(q, t, b).view(*shape)
        k, v = k.reshape(*shape), v.reshape(*shape)
        w = F.softmax(torch.bmm(q, k.transpose(1, 2)), dim=-1)
        o = torch.bmm(w, v).view(b, self.heads, t, self.head_dim).transpose(1, 2).reshape(b, t, d)
        return self.out_proj(o)


class HFFeedForward(nn.Module):
    def __init__(self, dim, ff):
        super().__init__()
        self.intermediate_dense, self.output_dense = nn.Linear(dim, ff), nn.Linear(ff, dim)

    def forward(self, x):
        return self.output_dense(F.gelu(self.intermediate_dense(x)))


class HFEncoderLayer(nn.Module):
    def __init__(self, dim, heads, ff):
        super().__init__()
        self.attention = HFAttention(dim, heads)
        self.layer_norm = nn.LayerNorm(dim, eps=1e-5)
        self.feed_forward = HFFeedForward(dim, ff)
        self.final_layer_norm = nn.LayerNorm(dim, eps=1e-5)

    def forward(self, h):
        h = self.layer_norm(h + self.attention(h))
        return self.final_layer_norm(h + self.feed_forward(h))


class HFPosConv(nn.Module):
    def __init__(self, dim, kernel, groups):
        super().__init__()
        conv = nn.Conv1d(dim, dim, kernel, padding=kernel // 2, groups=groups)
        self.conv = nn.utils.weight_norm(conv, name='weight', dim=2)
        self.remove = 1 if kernel % 2 == 0 else 0

    def forward(self, h):
        x = self.conv(h.transpose(1, 2))
        if self.remove:
            x = x[:, :, :-self.remove]
        return F.gelu(x).transpose(1, 2)


class HFEncoder(nn.Module):
    def __init__(self, dim, layers, heads, ff, kernel, groups):
        super().__init__()
        self.pos_conv_embed = HFPosConv(dim, kernel, groups)
        self.layer_norm = nn.LayerNorm(dim, eps=1e-5)
        self.layers = nn.ModuleList(HFEncoderLayer(dim, heads, ff) for _ in range(layers))

    def forward(self, h):
        h = self.layer_norm(h + self.pos_conv_embed(h))
        states = [h]
        for layer in self.layers:
            h = layer(h)
            states.append(h)
        return states


class HFWav2Vec2(nn.Module):
    """transformers.Wav2Vec2Model's module tree (wav2vec2.* prefix omitted), post-LN base variant."""

    def __init__(self, conv, dim, layers, heads, ff, kernel=16, groups=4):
        super().__init__()
        self.feature_extractor = HFFeatureExtractor(conv)
        self.feature_projection = HFFeatureProjection(conv[-1][0], dim)
        self.encoder = HFEncoder(dim, layers, heads, ff, kernel, groups)

    def taps(self, x):
        proj = self.feature_projection(self.feature_extractor(x).transpose(1, 2))
        return proj, self.encoder(proj)


class HFWavLMAttention(nn.Module):
    """transformers' WavLMAttention: gated relative position bias + torch multi-head attention."""

    def __init__(self, dim, heads, has_bias, num_buckets=320, max_distance=800):
        super().__init__()
        self.embed_dim, self.num_heads, self.head_dim = dim, heads, dim // heads
        self.num_buckets, self.max_distance = num_buckets, max_distance
        self.k_proj, self.v_proj = nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.q_proj, self.out_proj = nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.gru_rel_pos_const = nn.Parameter(torch.ones(1, heads, 1, 1))
        self.gru_rel_pos_linear = nn.Linear(self.head_dim, 8)
        self.rel_attn_embed = nn.Embedding(num_buckets, heads) if has_bias else None

    def forward(self, h, position_bias=None):
        bsz, tgt_len, _ = h.size()
        if position_bias is None:
            position_bias = self.compute_bias(tgt_len, tgt_len)
            position_bias = position_bias.unsqueeze(0).repeat(bsz, 1, 1, 1).view(bsz * self.num_heads, tgt_len, tgt_len)
        g = h.view(h.shape[:-1] + (self.num_heads, -1)).permute(0, 2, 1, 3)
        proj = self.gru_rel_pos_linear(g).view(g.shape[:-1] + (2, 4)).sum(-1)
        gate_a, gate_b = torch.sigmoid(proj).chunk(2, dim=-1)
        gate_output = gate_a * (gate_b * self.gru_rel_pos_const - 1.0) + 2.0
        gated = gate_output.view(bsz * self.num_heads, -1, 1) * position_bias
        q = h.transpose(0, 1)
        out, _ = F.multi_head_attention_forward(
            q, q, q, self.embed_dim, self.num_heads, torch.empty([0]),
            torch.cat((self.q_proj.bias, self.k_proj.bias, self.v_proj.bias)), None, None, False, 0.0,
            self.out_proj.weight, self.out_proj.bias, False, None, False, gated, use_separate_proj_weight=True,
            q_proj_weight=self.q_proj.weight, k_proj_weight=self.k_proj.weight, v_proj_weight=self.v_proj.weight)
        return out.transpose(0, 1), position_bias

    def compute_bias(self, query_length, key_length):
        context = torch.arange(query_length, dtype=torch.long)[:, None]
        memory = torch.arange(key_length, dtype=torch.long)[None, :]
        bucket = self._relative_positions_bucket(memory - context)
        return self.rel_attn_embed(bucket).permute([2, 0, 1])

    def _relative_positions_bucket(self, rel):
        num_buckets = self.num_buckets // 2
        buckets = (rel > 0).to(torch.long) * num_buckets
        rel = torch.abs(rel)
        max_exact = num_buckets // 2
        is_small = rel < max_exact
        large = torch.log(rel.float() / max_exact) / math.log(self.max_distance / max_exact) * (num_buckets - max_exact)
        large = (max_exact + large).to(torch.long)
        large = torch.min(large, torch.full_like(large, num_buckets - 1))
        return buckets + torch.where(is_small, rel, large)


class HFWavLMLayer(nn.Module):
    def __init__(self, dim, heads, ff, has_bias):
        super().__init__()
        self.attention = HFWavLMAttention(dim, heads, has_bias)
        self.layer_norm = nn.LayerNorm(dim, eps=1e-5)
        self.feed_forward = HFFeedForward(dim, ff)
        self.final_layer_norm = nn.LayerNorm(dim, eps=1e-5)

    def forward(self, h, position_bias):
        a, position_bias = self.attention(h, position_bias)
        h = self.layer_norm(h + a)
        return self.final_layer_norm(h + self.feed_forward(h)), position_bias


class HFWavLM(HFWav2Vec2):
    """transformers.WavLMModel's structure (post-LN base): layer 0 computes the relative position bias."""

    def __init__(self, conv, dim, layers, heads, ff, kernel=16, groups=4):
        super().__init__(conv, dim, layers, heads, ff, kernel, groups)
        self.encoder.layers = nn.ModuleList(HFWavLMLayer(dim, heads, ff, i == 0) for i in range(layers))

    def taps(self, x):
        proj = self.feature_projection(self.feature_extractor(x).transpose(1, 2))
        h = self.encoder.layer_norm(proj + self.encoder.pos_conv_embed(proj))
        states, bias = [h], None
        for layer in self.encoder.layers:
            h, bias = layer(h, bias)
            states.append(h)
        return proj, states


class HFLastHidden(nn.Module):
    """An optimum-style export: input_values -> last_hidden_state (optionally all hidden_states.N too)."""

    def __init__(self, model, all_states):
        super().__init__()
        self.model, self.all_states = model, all_states

    def forward(self, x):
        states = self.model.taps(x)[1]
        return (states[-1], *states) if self.all_states else states[-1]


@torch.no_grad()
def hf_taps(model, wav):
    proj, states = model.taps(torch.from_numpy(wav)[None])
    return proj[0].numpy(), np.stack([s[0].numpy() for s in states])


# ---- export helpers -----------------------------------------------------------------------------------
def export(module, path, opset, inp, out_names, folding=True, dynamic_batch=True, functions=False):
    axes = {inp: {1: 'samples', **({0: 'batch'} if dynamic_batch else {})}}
    for o in out_names:
        axes[o] = {1: 'frames', **({0: 'batch'} if dynamic_batch else {})}
    dummy = torch.zeros(1, 16000)
    module.eval()  # torch.onnx.export restores the module's mode afterwards: a training-mode wrapper would
    # leave the model in training mode (dropout on), and the references computed after it would be random
    torch.onnx.export(module, (dummy,), path, opset_version=opset, input_names=[inp], output_names=out_names,
                      dynamic_axes=axes, do_constant_folding=folding, export_modules_as_functions=functions)
    module.eval()
    onnx.checker.check_model(onnx.load(path))


def anonymise(path):
    """Strip node names and rename every intermediate tensor, as some exporters/optimisers do."""
    m = onnx.load(path)
    g = m.graph
    keep = {i.name for i in g.input} | {o.name for o in g.output} | {i.name for i in g.initializer}
    names = {}
    for n in g.node:
        n.name = ''
        for i, o in enumerate(n.output):
            if o and o not in keep:
                names[o] = 't%d' % len(names)
                n.output[i] = names[o]
    for n in g.node:
        for i, x in enumerate(n.input):
            if x in names:
                n.input[i] = names[x]
    del g.value_info[:]
    onnx.save(m, path)


@torch.no_grad()
def randomise_norms(model):
    """Random LayerNorm/GroupNorm affine parameters: a mistaken tap cannot pass by accident, and identical
    all-ones/all-zeros initializers are not merged by the exporter (which would undercount parameters)."""
    for mod in model.modules():
        if isinstance(mod, (nn.LayerNorm, nn.GroupNorm)):
            mod.weight.uniform_(0.5, 1.5)
            mod.bias.uniform_(-0.2, 0.2)


def rename_outputs(path, names):
    m = onnx.load(path)
    for out, name in zip(m.graph.output, names):
        old = out.name
        for n in m.graph.node:
            n.output[:] = [name if o == old else o for o in n.output]
            n.input[:] = [name if i == old else i for i in n.input]
        out.name = name
    onnx.checker.check_model(m)
    onnx.save(m, path)


def save_npy(path, arr):
    np.save(path, np.ascontiguousarray(arr, dtype=np.float32))


def param_count(module):
    return int(sum(p.numel() for p in module.parameters()))


def small_fixtures():
    os.makedirs(FIXTURES, exist_ok=True)
    clips = make_clips()
    index = {'format': 'bioprobe.model-fixtures/1', 'torch': torch.__version__, 'torchaudio': torchaudio.__version__,
             'sampleRate': 16000, 'clips': {}, 'models': {}}
    for name, wav in clips.items():
        save_npy(os.path.join(FIXTURES, 'clip_%s.npy' % name), wav)
        index['clips'][name] = {'file': 'clip_%s.npy' % name, 'samples': len(wav)}

    torch.manual_seed(0)
    hubert = torchaudio.models.wav2vec2_model(**tiny_config(64, 4, 128)).eval()
    torch.manual_seed(1)
    w2v2 = torchaudio.models.wav2vec2_model(**tiny_config(96, 3, 192, aux=32)).eval()
    torch.manual_seed(2)
    hf = HFWav2Vec2(SMALL_CONV, 80, 3, 4, 160).eval()
    for m in (hubert, w2v2, hf):
        randomise_norms(m)
    torch.manual_seed(4)
    wavlm = HFWavLM(SMALL_CONV, 64, 3, 4, 128).eval()
    randomise_norms(wavlm)
    torch.manual_seed(3)  # wav2vec2-large-lv60 style: layer-norm conv stack, pre-LN transformer
    preln = torchaudio.models.wav2vec2_model(**tiny_config(64, 3, 128, pre_ln=True)).eval()
    randomise_norms(preln)

    specs = [
        # id, module to export, reference model, taps fn, opset, input, outputs, folding, anonymise, note
        ('hubert_tiny', LastLayer(hubert), hubert, torchaudio_taps, 17, 'input', ['output'], True, False,
         'torchaudio HuBERT config shape (AVES-like), opset 17, LayerNormalization ops, last layer only'),
        ('hubert_tiny_op14_anon', LastLayer(hubert), hubert, torchaudio_taps, 14, 'waveform', ['features'], False,
         True, 'same weights as hubert_tiny; opset 14 (decomposed LayerNorm), no constant folding, anonymised names'),
        ('hubert_tiny_functions', LastLayer(hubert), hubert, torchaudio_taps, 17, 'input', ['output'], True,
         'functions', 'same weights as hubert_tiny; encoder layers and attention exported as ONNX local functions'),
        ('w2v2_ctc_tiny', LastLayer(w2v2), w2v2, torchaudio_taps, 17, 'input_values', ['logits'], True, False,
         'torchaudio wav2vec2 with a 32-way CTC head; logits only'),
        ('w2v2_preln_tiny', LastLayer(preln), preln, torchaudio_taps, 17, 'input_values', ['last_hidden_state'], True,
         False, 'pre-LN transformer and layer-norm conv stack (wav2vec2-large-lv60 style); output after the final LN'),
        ('hf_wavlm_tiny', HFLastHidden(wavlm, False), wavlm, hf_taps, 14, 'input_values', ['last_hidden_state'], True, False,
         'HF WavLM structure (gated relative position bias, torch multi-head attention), opset 14'),
        ('hf_tiny', HFLastHidden(hf, False), hf, hf_taps, 14, 'input_values', ['last_hidden_state'], True, False,
         'HF-style module tree (transformers naming/attention), optimum-like export, opset 14'),
    ]
    written = {}  # reference model -> the id whose reference arrays it already wrote (same weights, same refs)
    for mid, module, ref, taps, opset, inp, outs, folding, anon, note in specs:
        path = os.path.join(FIXTURES, mid + '.onnx')
        if anon == 'functions':
            from torchaudio.models.wav2vec2 import components
            export(module, path, opset, inp, outs, folding, functions={components.EncoderLayer, components.SelfAttention})
            rename_outputs(path, outs)  # torch 1.13 loses output_names when exporting functions
        else:
            export(module, path, opset, inp, outs, folding)
        if anon is True:
            anonymise(path)
        entry = {'file': mid + '.onnx', 'note': note, 'opset': opset, 'input': inp, 'outputs': outs,
                 'layers': None, 'dim': None, 'params': param_count(ref), 'refs': {}}
        owner = written.setdefault(id(ref), mid)
        for cname, wav in clips.items():
            proj, layers = taps(ref, wav)
            entry['layers'], entry['dim'] = int(layers.shape[0]), int(layers.shape[2])
            lf, pf = '%s.%s.layers.npy' % (owner, cname), '%s.%s.projection.npy' % (owner, cname)
            if owner == mid:
                save_npy(os.path.join(FIXTURES, lf), layers)
                save_npy(os.path.join(FIXTURES, pf), proj)
            entry['refs'][cname] = {'layers': lf, 'projection': pf, 'frames': int(layers.shape[1])}
        index['models'][mid] = entry
        print('wrote', path, 'layers', entry['layers'], 'dim', entry['dim'], 'params', entry['params'])

    # A file that already outputs every hidden state (transformers.js users re-exporting with them).
    path = os.path.join(FIXTURES, 'hf_tiny_hidden_states.onnx')
    names = ['last_hidden_state'] + ['hidden_states.%d' % i for i in range(4)]
    export(HFLastHidden(hf, True), path, 14, 'input_values', names, True)
    index['models']['hf_tiny_hidden_states'] = dict(index['models']['hf_tiny'], file='hf_tiny_hidden_states.onnx',
                                                    outputs=names, note='hf_tiny exported with hidden_states.N outputs')
    with open(os.path.join(FIXTURES, 'index.json'), 'w') as f:
        json.dump(index, f, indent=1)
        f.write('\n')


def full_size():
    """A full-size random-init HuBERT-base (torchaudio.models.hubert_base), single output, + references."""
    os.makedirs(CACHE, exist_ok=True)
    torch.manual_seed(0)
    model = torchaudio.models.hubert_base().eval()
    randomise_norms(model)
    path = os.path.join(CACHE, 'hubert-base-random.onnx')
    export(LastLayer(model), path, 17, 'input', ['output'], True)
    clips = make_clips()
    wav = clips['calls']
    proj, layers = torchaudio_taps(model, wav)
    save_npy(os.path.join(CACHE, 'hubert-base-random.calls.layers.npy'), layers)
    save_npy(os.path.join(CACHE, 'hubert-base-random.calls.projection.npy'), proj)
    save_npy(os.path.join(CACHE, 'hubert-base-random.calls.clip.npy'), wav)
    info = {'file': 'hubert-base-random.onnx', 'params': param_count(model), 'layers': int(layers.shape[0]),
            'dim': int(layers.shape[2]), 'clip': 'hubert-base-random.calls.clip.npy',
            'refs': {'layers': 'hubert-base-random.calls.layers.npy',
                     'projection': 'hubert-base-random.calls.projection.npy'}}
    with open(os.path.join(CACHE, 'hubert-base-random.json'), 'w') as f:
        json.dump(info, f, indent=1)
    print('wrote', path, info)


def from_torchaudio(pt, out):
    """A torchaudio checkpoint (`<name>.torchaudio.pt` + `<name>.torchaudio.model_config.json`) exported the way
    AVES' published aves-base-bio.onnx was: the wav2vec2_model's last layer, opset 17, dynamic batch and time."""
    with open(pt.replace('.pt', '.model_config.json')) as f:
        cfg = json.load(f)
    model = torchaudio.models.wav2vec2_model(**cfg, aux_num_out=None)
    model.load_state_dict(torch.load(pt))
    export(LastLayer(model.eval()), out, 17, 'input', ['output'], True)
    print('wrote', out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--full', action='store_true', help='also write the full-size random HuBERT-base to .cache/models')
    ap.add_argument('--only-full', action='store_true', help='write only the full-size model')
    ap.add_argument('--from-torchaudio', metavar='PT', help='export this torchaudio checkpoint (with its model_config.json) to --out')
    ap.add_argument('--out', help='output of --from-torchaudio')
    args = ap.parse_args()
    torch.set_num_threads(2)
    if args.from_torchaudio:
        return from_torchaudio(args.from_torchaudio, args.out)
    if not args.only_full:
        small_fixtures()
    if args.full or args.only_full:
        full_size()


if __name__ == '__main__':
    sys.exit(main())

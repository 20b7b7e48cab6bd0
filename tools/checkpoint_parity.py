#!/work/venv/bin/python
"""Held-out parity of bioprobe's checkpoint builder at full size (driven by bench/checkpoint-parity.ts).

Never run at test time; writes into .cache/parity/ (not committed).

    /work/venv/bin/python tools/checkpoint_parity.py make
        random-init base-size Wav2Vec2Model, HubertModel, WavLMModel and Wav2Vec2ForCTC (transformers 5,
        seeded; LayerNorm/GroupNorm affine and WavLM's gate constants randomised so a misplaced tensor
        cannot pass), each saved twice: save_pretrained (model.safetensors) and as a 2021-style
        pytorch_model.bin (torch.save of the state dict with weight_g/weight_v names), with config.json.
    /work/venv/bin/python tools/checkpoint_parity.py refs <model dir> <clips.f32> <lengths.json> <out.npy>
        transformers' hidden states of every prepared clip (float32 samples as bioprobe feeds them),
        pooled per layer: [mean, unbiased std] over frames in float64 -> [clips, layers, 2 D].
    /work/venv/bin/python tools/checkpoint_parity.py hidden <model dir> <clips.f32> <lengths.json> <out prefix>
        transformers' hidden states per frame, <out prefix>.<k>.npy = [layers, T, D] for clip k (the
        fused-operator ablation compares graphs against these frame by frame).
    /usr/bin/python3 tools/checkpoint_parity.py refs-torchaudio <x.torchaudio.pt> <clips.f32> <lengths.json> <out.npy>
        the same with torchaudio's wav2vec2_model(**model_config) extract_features (AVES' layers; layer 0 =
        the feature projection, AVES' tap).
References are computed by the reference libraries themselves on exactly the waveforms bioprobe prepared.
"""
import json
import os
import sys

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, '.cache', 'parity')


def randomise(model):
    g = torch.Generator().manual_seed(5)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if 'layer_norm' in name or 'gru_rel_pos_const' in name:
                p.copy_((torch.rand(p.shape, generator=g) - 0.5) * (0.4 if name.endswith('bias') else 1.0) + (0 if name.endswith('bias') else 1.0))


def make():
    import transformers
    from transformers import (HubertConfig, HubertModel, Wav2Vec2Config, Wav2Vec2ForCTC, Wav2Vec2Model, WavLMConfig, WavLMModel)
    makers = {
        'w2v2_base': lambda: Wav2Vec2Model(Wav2Vec2Config()),
        'hubert_base': lambda: HubertModel(HubertConfig()),
        'wavlm_base': lambda: WavLMModel(WavLMConfig()),
        'w2v2_base_ctc': lambda: Wav2Vec2ForCTC(Wav2Vec2Config(vocab_size=32)),
    }
    for i, (name, make_model) in enumerate(makers.items()):
        torch.manual_seed(100 + i)
        model = make_model().eval()
        randomise(model)
        st = os.path.join(OUT, name, 'safetensors')
        model.save_pretrained(st)
        b = os.path.join(OUT, name, 'bin')
        os.makedirs(b, exist_ok=True)
        sd = {k.replace('parametrizations.weight.original0', 'weight_g').replace('parametrizations.weight.original1', 'weight_v'): v.clone()
              for k, v in model.state_dict().items()}
        torch.save(sd, os.path.join(b, 'pytorch_model.bin'))
        model.config.save_pretrained(b)
        print('wrote', name, transformers.__version__)


def clips(f32, lengths):
    x = np.fromfile(f32, dtype='<f4')
    out, o = [], 0
    for n in json.load(open(lengths)):
        out.append(torch.from_numpy(x[o:o + n].copy())[None])
        o += n
    return out


def pool(hidden):
    """[L, T, D] float32 -> [L, 2D] float64: mean and unbiased std over frames (SPEC.md pooling)."""
    h = hidden.astype(np.float64)
    return np.concatenate([h.mean(1), h.std(1, ddof=1)], axis=1)


@torch.no_grad()
def refs(model_dir, f32, lengths, out):
    from transformers import AutoModel
    model = AutoModel.from_pretrained(model_dir).eval()  # a CTC checkpoint loads as its base model: the head is dropped
    rows = []
    for x in clips(f32, lengths):
        hs = model(x, output_hidden_states=True).hidden_states
        rows.append(pool(torch.stack([h[0] for h in hs]).numpy()))
    np.save(out, np.stack(rows).astype(np.float64))
    print('refs', model_dir, type(model).__name__, np.stack(rows).shape)


@torch.no_grad()
def hidden(model_dir, f32, lengths, prefix):
    from transformers import AutoModel
    model = AutoModel.from_pretrained(model_dir).eval()
    for k, x in enumerate(clips(f32, lengths)):
        hs = model(x, output_hidden_states=True).hidden_states
        np.save('%s.%d.npy' % (prefix, k), torch.stack([h[0] for h in hs]).numpy().astype(np.float32))


@torch.no_grad()
def refs_torchaudio(pt, f32, lengths, out):
    import torchaudio
    cfg = json.load(open(pt.replace('.pt', '.model_config.json')))
    model = torchaudio.models.wav2vec2_model(**cfg, aux_num_out=None)
    model.load_state_dict(torch.load(pt))
    model.eval()
    rows = []
    for x in clips(f32, lengths):
        feats, _ = model.feature_extractor(x, None)
        proj = model.encoder.feature_projection(feats)
        layers = model.extract_features(x)[0]
        rows.append(pool(np.stack([proj[0].numpy()] + [h[0].numpy() for h in layers])))
    np.save(out, np.stack(rows).astype(np.float64))
    print('refs', pt, np.stack(rows).shape)


if __name__ == '__main__':
    torch.set_num_threads(int(os.environ.get('THREADS', '1')))
    cmd, args = sys.argv[1], sys.argv[2:]
    {'make': make, 'refs': refs, 'hidden': hidden, 'refs-torchaudio': refs_torchaudio}[cmd](*args)

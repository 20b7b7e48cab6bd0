"""Shared by tools/make_checkpoints_hf.py and tools/make_checkpoints_torchaudio.py (fixture makers only).

Works with both Pythons (venv torch 2.x and Debian torch 1.13): numpy and torch only.
"""
import hashlib
import json
import os

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'checkpoints')


def inputs():
    """Two short deterministic clips (float32, 16 kHz): 4000 and 6400 samples (12 and 19 frames)."""
    rng = np.random.RandomState(7)
    t = np.arange(6400) / 16000
    chirp = np.sin(2 * np.pi * (300 * t + 2500 * t ** 2)) + 0.1 * rng.randn(len(t))
    t2 = np.arange(4000) / 16000
    tone = np.sin(2 * np.pi * 900 * t2) * (0.5 + 0.5 * np.sin(2 * np.pi * 11 * t2)) + 0.05 * rng.randn(len(t2))
    clips = {'tone': tone, 'chirp': chirp}
    return {k: (v / np.abs(v).max()).astype(np.float32) for k, v in clips.items()}


def write_inputs():
    d = os.path.join(OUT, 'inputs')
    os.makedirs(d, exist_ok=True)
    for name, wav in inputs().items():
        np.save(os.path.join(d, name + '.npy'), wav)


def perturb(model, seed):
    """Random-init values everywhere (LayerNorm affine and weight-norm gains included), so that a tensor
    put in the wrong place cannot go unnoticed."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dtype.is_floating_point:
                p.add_(0.2 * torch.randn(p.shape, generator=g, dtype=p.dtype))


def tensor_record(t):
    """What the TypeScript readers must reproduce: dtype, shape, sha256 of the contiguous little-endian
    bytes, and (floating or not) the float32 values' sha256 and float64 sum."""
    c = t.detach().contiguous()
    raw = c.reshape(-1).view(torch.uint8).numpy().tobytes()
    rec = {
        'dtype': str(c.dtype).replace('torch.', ''),
        'shape': list(c.shape),
        'sha256': hashlib.sha256(raw).hexdigest(),
        'sha256_f32': hashlib.sha256(c.float().numpy().tobytes()).hexdigest(),
        'sum': float(c.double().sum()),
    }
    return rec


def write_manifest(path, tensors, extra=None):
    """`tensors`: name -> torch tensor, as torch itself holds them after saving/loading."""
    doc = {'tensors': {k: tensor_record(v) for k, v in tensors.items()},
           'parameters': int(sum(v.numel() for v in tensors.values()))}
    if extra:
        doc.update(extra)
    with open(path, 'w') as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write('\n')


def save_refs(folder, clip, hidden, **more):
    """Reference hidden states for one clip: hidden [L+1, T, D] (+ named extras), float32 .npy."""
    d = os.path.join(folder, 'ref')
    os.makedirs(d, exist_ok=True)
    np.save(os.path.join(d, clip + '.hidden.npy'), np.ascontiguousarray(hidden, dtype=np.float32))
    for k, v in more.items():
        np.save(os.path.join(d, '%s.%s.npy' % (clip, k)), np.ascontiguousarray(v, dtype=np.float32))

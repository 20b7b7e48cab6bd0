#!/usr/bin/python3
"""Reference pooled features for the extraction parity test, computed by torchaudio itself.

What `bioprobe extract` must reproduce, end to end from WAV files (SPEC.md): read (float32 WAV, 16 kHz,
so no resampling is involved), peak-normalise x / max|x|, repeat-tile clips shorter than 5000 samples,
cut clips longer than --max-chunk into chunks of at most that many samples (a trailing chunk under 400
samples gives no frame and is dropped), one forward pass per chunk, frames of all chunks concatenated,
then per layer mean and unbiased std (N-1) over frames -> [mean (D), std (D)], float32.

The model is tools/export_models.py's `hubert_tiny` (torchaudio HuBERT config shape, AVES-like),
rebuilt here with the same seeds and checked against that script's committed per-layer reference
before anything is written, so a drift in either script fails loudly instead of silently.

Run with Debian's torch (never at run time or test time):
    /usr/bin/python3 tools/reference_extract.py          # -> test/fixtures/features/
    /usr/bin/python3 tools/reference_extract.py --full   # + full-size HuBERT-base on real recordings
Writes: clip WAVs, parity.csv (path,label), reference_<tap>.npy [clips, layers, 2D] and index.json.
--full: the models stage's full-size random-init HuBERT-base (.cache/models/hubert-base-random.onnx,
rebuilt here with its seed and checked against its cached reference), pooled over the first clips of
../shared/data/birds (16 kHz PCM, so no resampling) -> full_birds.npy; the test runs only where both the
model (same sha256) and the recordings exist.
"""
import argparse
import hashlib
import json
import os
import struct
import sys
import wave

import numpy as np
import torch
import torchaudio
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import export_models as em  # noqa: E402  (the models engineer's fixture maker: same seeds, same config)

ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, 'test', 'fixtures', 'features')
MODELS = os.path.join(ROOT, 'test', 'fixtures', 'models')
MAX_CHUNK = 16000
MIN_SAMPLES = 5000
RECEPTIVE_FIELD = 400


def hubert_tiny():
    """Rebuild hubert_tiny exactly as export_models.small_fixtures does (same seeds, same init order)."""
    torch.manual_seed(0)
    hubert = torchaudio.models.wav2vec2_model(**em.tiny_config(64, 4, 128)).eval()
    torch.manual_seed(1)
    w2v2 = torchaudio.models.wav2vec2_model(**em.tiny_config(96, 3, 192, aux=32)).eval()
    torch.manual_seed(2)
    hf = em.HFWav2Vec2(em.SMALL_CONV, 80, 3, 4, 160).eval()
    with torch.no_grad():
        for m in (hubert, w2v2, hf):
            for mod in m.modules():
                if isinstance(mod, (nn.LayerNorm, nn.GroupNorm)):
                    mod.weight.uniform_(0.5, 1.5)
                    mod.bias.uniform_(-0.2, 0.2)
    clip = np.load(os.path.join(MODELS, 'clip_chirp.npy'))
    _, layers = em.torchaudio_taps(hubert, clip)
    ref = np.load(os.path.join(MODELS, 'hubert_tiny.chirp.layers.npy'))
    err = float(np.abs(layers - ref).max())
    if err > 1e-5:
        sys.exit('rebuilt hubert_tiny differs from test/fixtures/models by %g: update this script' % err)
    return hubert


def write_wav_f32(path, x, rate=16000):
    data = np.asarray(x, dtype='<f4').tobytes()
    fmt = struct.pack('<HHIIHH', 3, 1, rate, rate * 4, 4, 32)
    body = b'WAVE' + b'fmt ' + struct.pack('<I', len(fmt)) + fmt + b'data' + struct.pack('<I', len(data)) + data
    with open(path, 'wb') as f:
        f.write(b'RIFF' + struct.pack('<I', len(body)) + body)


def clips():
    """Clips exercising normalisation, tiling, chunking and the dropped short tail."""
    base = em.make_clips()
    rng = np.random.RandomState(77)
    t = np.arange(2 * 16000 + 200) / 16000.0
    tail = np.sin(2 * np.pi * (300 + 800 * t) * t) * np.exp(-t) + 0.05 * rng.randn(len(t))
    return [
        ('chirp_quiet', 'a', (0.37 * base['chirp']).astype(np.float32)),      # peak 0.37 -> normalised
        ('am_short', 'b', (0.8 * base['am_tone'][:3000]).astype(np.float32)),  # 3000 samples -> tiled to 5000
        ('calls_long', 'a', (1.9 * base['calls']).astype(np.float32)),        # 40000 -> chunks 16000, 16000, 8000
        ('tail_200', 'b', tail.astype(np.float32)),                           # 32200 -> chunks 16000, 16000 (+200 dropped)
    ]


def prepare(x):
    x = x / np.abs(x).max()
    if len(x) < MIN_SAMPLES:
        x = np.tile(x, int(np.ceil(MIN_SAMPLES / len(x))))[:MIN_SAMPLES]
    chunks = [x[i:i + MAX_CHUNK] for i in range(0, len(x), MAX_CHUNK)]
    if len(chunks) > 1 and len(chunks[-1]) < RECEPTIVE_FIELD:
        chunks = chunks[:-1]
    return [np.ascontiguousarray(c, dtype=np.float32) for c in chunks]


@torch.no_grad()
def pooled(model, x, tap):
    per_chunk = []
    for c in prepare(x):
        proj, layers = em.torchaudio_taps(model, c)
        if tap == 'projection':
            layers = np.concatenate([proj[None], layers[1:]], 0)
        per_chunk.append(layers.astype(np.float64))
    frames = np.concatenate(per_chunk, 1)  # [L, T, D]
    mean = frames.mean(1)
    std = frames.std(1, ddof=1)
    return np.concatenate([mean, std], 1).astype(np.float32), frames.shape[1]


BIRDS = os.path.join(os.path.dirname(ROOT), 'shared', 'data', 'birds')
FULL = os.path.join(ROOT, '.cache', 'models', 'hubert-base-random.onnx')


def read_pcm16(path):
    with wave.open(path, 'rb') as w:
        assert w.getframerate() == 16000 and w.getsampwidth() == 2, path
        x = np.frombuffer(w.readframes(w.getnframes()), dtype='<i2').reshape(-1, w.getnchannels())
    return (x.astype(np.float32) / 32768.0).mean(1).astype(np.float32)


def full_size(index, count=3):
    """Pooled references of the full-size random HuBERT-base on the first `count` bird recordings."""
    torch.manual_seed(0)
    model = torchaudio.models.hubert_base().eval()
    em.randomise_norms(model)
    clip = np.load(os.path.join(ROOT, '.cache', 'models', 'hubert-base-random.calls.clip.npy'))
    _, layers = em.torchaudio_taps(model, clip)
    err = float(np.abs(layers - np.load(os.path.join(ROOT, '.cache', 'models', 'hubert-base-random.calls.layers.npy'))).max())
    if err > 1e-4:
        sys.exit('rebuilt hubert_base differs from the cached export reference by %g' % err)
    with open(os.path.join(BIRDS, 'labels.csv')) as f:
        names = [line.split(',')[0] for line in f.read().splitlines()[1:1 + count]]
    rows = [pooled(model, read_pcm16(os.path.join(BIRDS, n)), 'encoder-input')[0] for n in names]
    np.save(os.path.join(OUT, 'full_birds.npy'), np.stack(rows))
    with open(FULL, 'rb') as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    index['full'] = {'model': '.cache/models/hubert-base-random.onnx', 'sha256': sha, 'clips': names,
                     'ref': 'full_birds.npy', 'layer0': 'encoder-input', 'maxChunk': MAX_CHUNK}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--full', action='store_true', help='also the full-size HuBERT-base on ../shared/data/birds')
    args = ap.parse_args()
    torch.set_num_threads(2)
    os.makedirs(OUT, exist_ok=True)
    model = hubert_tiny()
    items = clips()
    with open(os.path.join(OUT, 'parity.csv'), 'w') as f:
        f.write('path,label\n')
        for name, label, x in items:
            write_wav_f32(os.path.join(OUT, name + '.wav'), x)
            f.write('%s.wav,%s\n' % (name, label))
    index = {'format': 'bioprobe.features-reference/1', 'torch': torch.__version__, 'torchaudio': torchaudio.__version__,
             'model': '../models/hubert_tiny.onnx', 'dataset': 'parity.csv', 'maxChunk': MAX_CHUNK, 'refs': {}, 'frames': {}}
    for tap in ('encoder-input', 'projection'):
        rows = []
        for name, _, x in items:
            r, n = pooled(model, x, tap)
            rows.append(r)
            index['frames'][name] = n
        path = 'reference_%s.npy' % tap
        np.save(os.path.join(OUT, path), np.stack(rows))
        index['refs'][tap] = path
    if args.full:
        full_size(index)
    with open(os.path.join(OUT, 'index.json'), 'w') as f:
        json.dump(index, f, indent=1)
        f.write('\n')
    print('wrote', OUT, index['frames'])


if __name__ == '__main__':
    sys.exit(main())

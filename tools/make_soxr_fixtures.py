#!/usr/bin/env python3
"""
librosa/soxr HQ reference outputs for test/audio/soxr.test.ts (committed; tests never run this).

    /work/venv/bin/python tools/make_soxr_fixtures.py        # librosa 0.11, python-soxr 1.1 (libsoxr 0.1.3)

Writes test/fixtures/audio/soxr-hq.json (index) and soxr-hq.f32 (little-endian float32, concatenated):
for each source rate from 5 kHz to 192 kHz (common, odd and prime-ish ones), the exact float32 input and
what the paper's preprocessing makes of it: librosa.resample(x, orig_sr=rate, target_sr=16000,
res_type='soxr_hq') (what librosa.load(sr=16000) calls) followed by peak normalisation y / max|y|.
Signals per rate:
  mix2000  2000 samples: tones at 7.0, 7.6 and 7.9 kHz (those below the source Nyquist), a chirp, noise,
           and full-scale impulses on the first and last samples (clip edges)
  short50  50 samples of noise (shorter than the resampler's filter)
  short3   3 samples
plus one 0.25 s 44.1 kHz clip of 7-8 kHz tones (the band where the old design differed most).
Long inputs (python-soxr feeds libsoxr in chunks of 48000 * in / out samples: these cross many chunk
boundaries) are generated, not stored: `hashnoise(n, seed)` is integer arithmetic that the test repeats
bit for bit (lowbias32 hash of the sample index); the index records the sha256 of librosa's float32
output and a few slices of it.
"""
import hashlib
import json
import os

import librosa
import numpy as np
import soxr

OUT = 16000
RATES = [5000, 8000, 11025, 11127, 16000, 22000, 22050, 22255, 32000, 43900, 44100, 48000, 96000, 166600, 191999, 192000]
HERE = os.path.dirname(os.path.abspath(__file__))
DEST = os.path.join(HERE, '..', 'test', 'fixtures', 'audio')


def hashnoise(n, seed):
    """Uniform noise in [-0.5, 0.5) from the lowbias32 hash of (index + seed * 2^24): exact in float32."""
    x = (np.arange(n, dtype=np.uint64) + np.uint64(seed) * np.uint64(1 << 24)).astype(np.uint32)
    x ^= x >> np.uint32(16)
    x *= np.uint32(0x7FEB352D)
    x ^= x >> np.uint32(15)
    x *= np.uint32(0x846CA68B)
    x ^= x >> np.uint32(16)
    return (((x >> np.uint32(8)).astype(np.int64) - (1 << 23)).astype(np.float32) / np.float32(1 << 24)).astype(np.float32)


def prepared(x, rate):
    """The paper's preprocessing after decoding: librosa.load's resample, then peak normalisation."""
    y = librosa.resample(x, orig_sr=rate, target_sr=OUT, res_type='soxr_hq')
    peak = np.max(np.abs(y))
    return (y / peak).astype(np.float32) if peak > 0 else y


def mix2000(rate, rng):
    n = 2000
    t = np.arange(n) / rate
    x = np.zeros(n)
    for f, a in ((7000, 0.2), (7600, 0.25), (7900, 0.2)):
        if f < rate / 2:
            x += a * np.sin(2 * np.pi * f * t + a)
    f0, f1 = 50.0, 0.45 * rate
    x += 0.2 * np.sin(2 * np.pi * (f0 * t + (f1 - f0) * t * t / (2 * t[-1])))
    x += 0.05 * rng.standard_normal(n)
    x[0], x[-1] = 1.0, -1.0
    return x.astype(np.float32)


def main():
    rng = np.random.default_rng(20261129)
    blobs, index, offset = [], [], 0

    def add(name, rate, x):
        nonlocal offset
        y = prepared(x, rate)
        blobs.extend([x, y])
        index.append({'name': name, 'rate': rate, 'input': [offset, len(x)], 'output': [offset + len(x), len(y)]})
        offset += len(x) + len(y)

    for rate in RATES:
        add(f'mix2000@{rate}', rate, mix2000(rate, rng))
        add(f'short50@{rate}', rate, (0.5 * rng.standard_normal(50)).astype(np.float32))
        add(f'short3@{rate}', rate, np.array([0.3, -1.0, 0.5], dtype=np.float32))
    t = np.arange(11025) / 44100
    add('tones7-8k@44100', 44100, (0.3 * np.sin(2 * np.pi * 7000 * t) + 0.3 * np.sin(2 * np.pi * 7600 * t) + 0.3 * np.sin(2 * np.pi * 7950 * t)).astype(np.float32))

    long = []
    for rate, seconds, seed in ((44100, 120, 1), (11025, 600, 2), (191999, 5, 3)):
        n = rate * seconds
        x = hashnoise(n, seed)
        y = librosa.resample(x, orig_sr=rate, target_sr=OUT, res_type='soxr_hq')
        chunk = int(48000 * rate / OUT)
        at = sorted({0, len(y) // 2, len(y) - 100, int(chunk * OUT / rate) - 50})
        long.append({'name': f'hashnoise{seconds}s@{rate}', 'rate': rate, 'seed': seed, 'n': n, 'outputLength': len(y),
                     'sha256': hashlib.sha256(y.astype('<f4').tobytes()).hexdigest(),
                     'slices': [{'at': a, 'values': [float(v) for v in y[a:a + 100]]} for a in at],
                     'inputSha256': hashlib.sha256(x.astype('<f4').tobytes()).hexdigest()})

    data = np.concatenate(blobs).astype('<f4')
    data.tofile(os.path.join(DEST, 'soxr-hq.f32'))
    meta = {
        'made_by': 'tools/make_soxr_fixtures.py',
        'reference': f'librosa {librosa.__version__}, python-soxr {soxr.__version__}, libsoxr {soxr.__libsoxr_version__}',
        'what': "librosa.resample(x, orig_sr=rate, target_sr=16000, res_type='soxr_hq') then y / max|y| (float32)",
        'clips': index,
        'long': long,
    }
    with open(os.path.join(DEST, 'soxr-hq.json'), 'w') as f:
        json.dump(meta, f, indent=1)
        f.write('\n')
    print(f'{len(index)} clips, {data.nbytes} bytes of float32; {len(long)} long generated clips')


if __name__ == '__main__':
    main()

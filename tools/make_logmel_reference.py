#!/usr/bin/python3
"""Reference log-mel frames for the bioprobe log-mel baseline (lib/baselines/logmel.ts).

Run with Debian's torch/torchaudio (never at test time; the outputs are committed):
    /usr/bin/python3 tools/make_logmel_reference.py [--out test/fixtures/baselines/logmel]

For each clip it writes
    <name>.wave.npy      float32 [N]      the 16 kHz input
    <name>.ref64.npy     float32 [T, M]   log(MelSpectrogram(x) + 1e-6) computed in float64 (the parity target)
    <name>.ref32.npy     float32 [T, M]   the same computed by torchaudio in float32 (its own rounding noise)
and cases.json listing each clip's settings. The birds clip is taken from /work/shared/data/birds when
present (a real recording), else skipped.
"""
import argparse
import json
import os
import wave

import numpy as np
import torch
import torchaudio

DEFAULT = dict(sample_rate=16000, n_fft=512, win_length=400, hop_length=160, f_min=0.0, f_max=8000.0,
               n_mels=64, mel_scale="htk", norm=None)


def logmel(x: np.ndarray, settings: dict, dtype: torch.dtype) -> np.ndarray:
    prev = torch.get_default_dtype()
    torch.set_default_dtype(dtype)  # so melscale_fbanks' linspace and the Hann window use this precision
    try:
        t = torchaudio.transforms.MelSpectrogram(window_fn=torch.hann_window, power=2.0, center=True,
                                                 pad_mode="reflect", **settings)
        mel = t(torch.from_numpy(x.astype(np.float64 if dtype == torch.float64 else np.float32)))
        return torch.log(mel + 1e-6).T.contiguous().numpy().astype(np.float32)  # [T, M]
    finally:
        torch.set_default_dtype(prev)


def read_wav_16k(path: str) -> np.ndarray:
    with wave.open(path, "rb") as w:
        assert w.getframerate() == 16000 and w.getsampwidth() == 2, path
        raw = w.readframes(w.getnframes())
        x = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
        if w.getnchannels() > 1:
            x = x.reshape(-1, w.getnchannels()).mean(axis=1)
    return x


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="test/fixtures/baselines/logmel")
    ap.add_argument("--birds", default="/work/shared/data/birds/Cuckoo 1.wav")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(7)

    cases = []
    t = np.arange(16000) / 16000.0
    chirp = 0.6 * np.sin(2 * np.pi * (200 * t + 3000 * t * t)) + 0.05 * rng.standard_normal(16000)
    cases.append(("chirp", (chirp / np.abs(chirp).max()).astype(np.float32), DEFAULT))
    cases.append(("quiet_odd", (1e-3 * rng.standard_normal(12345)).astype(np.float32), DEFAULT))
    impulse = np.zeros(5000, dtype=np.float32)
    impulse[2500] = 1.0
    cases.append(("impulse", impulse, DEFAULT))
    slaney = dict(DEFAULT, n_mels=80, mel_scale="slaney", norm="slaney", f_min=50.0, f_max=7600.0)
    cases.append(("chirp_slaney80", (chirp / np.abs(chirp).max()).astype(np.float32), slaney))
    if os.path.exists(args.birds):
        bird = read_wav_16k(args.birds)[:24000]
        cases.append(("bird", (bird / np.abs(bird).max()).astype(np.float32), DEFAULT))

    listing = []
    for name, x, settings in cases:
        np.save(os.path.join(args.out, f"{name}.wave.npy"), x)
        ref64 = logmel(x, settings, torch.float64)
        ref32 = logmel(x, settings, torch.float32)
        np.save(os.path.join(args.out, f"{name}.ref64.npy"), ref64)
        np.save(os.path.join(args.out, f"{name}.ref32.npy"), ref32)
        listing.append({"name": name, "samples": int(x.shape[0]), "frames": int(ref64.shape[0]), "settings": settings,
                        "torch32_vs_64_max_abs": float(np.abs(ref64 - ref32).max())})
        print(name, x.shape, ref64.shape, "torch float32 vs float64 max abs diff", float(np.abs(ref64 - ref32).max()))
    with open(os.path.join(args.out, "cases.json"), "w") as f:
        json.dump({"torch": torch.__version__, "torchaudio": torchaudio.__version__, "log_eps": 1e-6,
                   "cases": listing}, f, indent=1)


if __name__ == "__main__":
    main()

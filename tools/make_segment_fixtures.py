"""Which frames librosa.load(path, sr=None, offset=, duration=) returns, for test/audio/segments.test.ts.

Run with /work/venv/bin/python (librosa 0.11, soundfile 0.14): writes test/fixtures/segments/librosa.json.
Each case writes a mono 32-bit float WAV whose sample k holds the value k (exact in float32 below 2**24),
loads it the way the paper's code does (src/extract_*.py: librosa.load(file, offset=start,
duration=end - start); whole files: start 0, end = librosa.get_duration(path=file)) and records the first
frame index (the value of y[0]) and the number of frames. Nothing here is computed by bioprobe.
"""
import json
import os
import sys
import tempfile

import librosa
import numpy as np
import soundfile as sf

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "segments", "librosa.json")

# (rate, frames, start, end); end None = to the end of the file (duration=None); start None with end
# "file" = the paper's whole-file item: offset 0.0, duration = librosa.get_duration(path=file).
CASES = [
    (44100, 44100, 0.35, 0.57),         # 0.35 * 44100 = 15434.999999999998: int() -> 15434, round() -> 15435
    (48000, 48000, 0.009, 0.036),       # 431.99999999999994 -> 431 (round 432)
    (8000, 16000, 1.001, 1.23),         # 8007.999999999999 -> 8007 (round 8008)
    (44100, 132300, 0.1234, 0.6791),    # 5441.94 -> 5441 (round 5442); duration 0.5557 s
    (44100, 132300, 1.0005, 1.5),       # 44122.05; duration 0.4995 s -> 22027.95 -> 22027 (round 22028)
    (48000, 96000, 0.123456, 0.654321), # both products fractional above .5
    (16000, 32000, 0.00009375, 0.5),    # 1.5 exactly: int 1, numpy round-half-even 2
    (16000, 32000, 0.0003125, 0.0009375),  # 5.0 and a duration of 10.0 frames (float: 9.999...)
    (22050, 44100, 0.7, 1.3),
    (44100, 88200, 0.25, None),         # duration None: from the offset to the end
    (44100, 44100, 0.9, 1.02),          # end past the file (clamped by soundfile)
    (8000, 24000, 2.9999, 3.0),         # 0.0001 s = 0.8 frames: librosa returns no samples
]
# whole files whose (frames / rate) * rate rounds below frames: librosa reads one frame less
WHOLE = [(44100, 4), (44100, 1000003), (48000, 123457), (22050, 333333), (16000, 16001), (8000, 24000)]


def first_whole_short(rate, start):
    n = start
    while (n / rate) * rate >= n:
        n += 1
    return n


def write(path, rate, frames):
    sf.write(path, np.arange(frames, dtype=np.float32), rate, subtype="FLOAT")


def main():
    out = {"librosa": librosa.__version__, "soundfile": sf.__version__, "segments": [], "whole": []}
    with tempfile.TemporaryDirectory() as tmp:
        for rate, frames, start, end in CASES:
            path = os.path.join(tmp, f"s{rate}_{frames}.wav")
            write(path, rate, frames)
            y, sr = librosa.load(path, sr=None, mono=True, offset=start, duration=None if end is None else end - start)
            assert sr == rate
            out["segments"].append({
                "rate": rate, "frames": frames, "start": start, "end": end,
                "first": int(y[0]) if len(y) else None, "count": int(len(y)),
                "round_first": int(np.round(start * rate)),
                "round_count": None if end is None else int(np.round((end - start) * rate)),
            })
        for rate, near in WHOLE:
            frames = first_whole_short(rate, near)
            path = os.path.join(tmp, f"w{rate}_{frames}.wav")
            write(path, rate, frames)
            end = librosa.get_duration(path=path)
            y, _ = librosa.load(path, sr=None, mono=True, offset=0.0, duration=end - 0.0)
            out["whole"].append({"rate": rate, "frames": frames, "end": end, "first": int(y[0]) if len(y) else None, "count": int(len(y))})
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()

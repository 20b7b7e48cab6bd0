#!/usr/bin/env python3
"""
The paper's preprocessing of real clips, for tools/compare_prepared.ts (a check run by hand; its numbers
are in docs/AUDIO.md "Resampling"). Never run by tests; writes outside the repository.

    /work/venv/bin/python tools/librosa_prepare.py ../shared/data/animal-sounds/labels.csv /tmp/librosa-prepared

For each row of the CSV (path,label): librosa.load(path, sr=16000) (soundfile, float32, mean of the
channels, soxr_hq) divided by its peak -> <i>.16k.f32, and librosa.load(path, sr=None) (the decoded
mono samples before resampling) -> <i>.native.f32; index.json lists path, source rate, channels and
any error.
"""
import json
import os
import sys
import warnings

import librosa
import numpy as np
import soundfile as sf


def main(csv, out):
    os.makedirs(out, exist_ok=True)
    root = os.path.dirname(os.path.abspath(csv))
    rows = [l.rstrip('\n') for l in open(csv, encoding='utf8')][1:]
    index = []
    for i, row in enumerate(r for r in rows if r):
        path = os.path.join(root, row[: row.rfind(',')])
        entry = {'i': i, 'path': path}
        try:
            with warnings.catch_warnings(record=True) as w:
                warnings.simplefilter('always')
                native, rate = librosa.load(path, sr=None)
                y, _ = librosa.load(path, sr=16000)
                entry['warnings'] = sorted({str(x.message).split('\n')[0] for x in w})
            try:
                entry['channels'] = sf.info(path).channels
            except Exception:  # noqa: BLE001 - audioread-only files
                entry['channels'] = None
            peak = np.max(np.abs(y))
            if peak > 0:
                y = y / peak
            entry.update(rate=int(rate), n=len(native), n16k=len(y))
            native.astype('<f4').tofile(os.path.join(out, f'{i}.native.f32'))
            y.astype('<f4').tofile(os.path.join(out, f'{i}.16k.f32'))
        except Exception as e:  # noqa: BLE001 - recorded, the run goes on
            entry['error'] = f'{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ""}'
        index.append(entry)
    with open(os.path.join(out, 'index.json'), 'w') as f:
        json.dump({'librosa': librosa.__version__, 'clips': index}, f, indent=1)
    print(f'{len(index)} clips, {sum("error" in e for e in index)} failed in librosa -> {out}')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])

#!/usr/bin/env python3
"""
MP3 inside WAV (format 0x55) fixtures, and what librosa.load reads from them.

Run with the paper's stack (never at test time):
    /work/venv/bin/python tools/make_mp3wav_fixtures.py          # -> test/fixtures/audio/mp3wav/
    /work/venv/bin/python tools/make_mp3wav_fixtures.py --real   # + real_lengths.json (below)
--real: for the MP3-inside-WAV files of ../shared/data/animal-sounds (56), what librosa.load(sr=None) gives:
length, sum |x| and max |x| (float64 over its float32 samples), with sf.info's frames and the fact chunk;
no audio is copied (test/audio/mp3wav.test.ts checks bioprobe's decode of those files where they exist).

Why: librosa.load reads these files through soundfile -> libsndfile (1.2.2 in the soundfile 0.14
wheel, with mpg123 1.32.3 inside). libsndfile ignores the `fact` chunk: it reports the length libmpg123
estimates when the stream has no Xing/Info frame, trunc(file bytes / first frame bytes x samples per
frame), and soundfile reads that many frames or, when the stream ends first, every decoded frame (encoder
delay and padding kept). docs/AUDIO.md "MP3 inside WAV" has the details and test/audio/mp3wav.test.ts
checks bioprobe against the files written here.

The MP3 streams are encoded by the LAME 3.100 inside the same libsndfile (soundfile.write format MP3),
then wrapped in a RIFF/WAVE container by this script as Windows' ACM MP3 codec writes them
(MPEGLAYER3WAVEFORMAT, 30-byte fmt, a `fact` chunk): the Xing/Info frame LAME writes is dropped (ACM
writes none) except in one file. Cases, each short:
  vbr_mono_11025.wav    MPEG-2.5 VBR, loud start then quiet: the first frame is larger than the mean,
                        so libsndfile's estimate is SHORTER than the stream (the common case in real data)
  cbr_mono_16000.wav    MPEG-2 CBR, `fact` after `data` (mpg123 reads the fact chunk as junk and stops):
                        the estimate (header bytes included) is LONGER, so every frame is read
  cbr_stereo_22050.wav  MPEG-2 CBR joint stereo, a LIST chunk after the data and a raw 128-byte ID3v1
                        `TAG` at the end (mpg123 leaves those 128 bytes out of the file length)
  vbr_stereo_44100.wav  MPEG-1 VBR stereo (1152 samples per frame), channels mixed by librosa's mean
  info_mono_8000.wav    MPEG-2.5 with LAME's Info frame kept: libsndfile knows the exact (gapless) length
  bare_vbr_mono_22050.mp3  not in a WAV: a bare MP3 with a 1 KiB ID3v2 tag and no Info frame; libsndfile
                        estimates its length the same way (the tag's bytes count in the file length)
Written: <name>.wav, <name>.native.f32 (librosa.load(sr=None): float32 mono), for the two VBR files
<name>.16k.f32 (librosa.load(sr=16000)), and index.json (lengths, rates, what sf.info reports, versions,
and per file a segment with many decimals: librosa.load(sr=None, offset, duration) seeks with
mpg123_seek; checked here to equal the whole decode's samples from int(offset x rate), so only its
offset, duration and length are stored).
"""
import io
import json
import os
import struct
import sys
import tempfile

import librosa
import numpy as np
import soundfile as sf

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'audio', 'mp3wav')

BITRATES = {  # [lsf][layer-1][index], kbit/s
    0: [[0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
        [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
        [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]],
    1: [[0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
        [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
        [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]],
}
RATES = [44100, 48000, 32000, 22050, 24000, 16000, 11025, 12000, 8000]


def frame_bytes(b, pos):
    """Bytes of the layer III frame whose header is at pos (header included), or None."""
    h = struct.unpack('>I', b[pos:pos + 4])[0]
    if (h >> 21) & 0x7ff != 0x7ff:
        return None
    ver, layer, br, sr, pad = (h >> 19) & 3, 4 - ((h >> 17) & 3), (h >> 12) & 15, (h >> 10) & 3, (h >> 9) & 1
    if ver == 1 or layer != 3 or br in (0, 15) or sr == 3:
        return None
    lsf = 0 if ver == 3 else 1
    rate = RATES[(6 if ver == 0 else 3 if ver == 2 else 0) + sr]
    return BITRATES[lsf][2][br] * 144000 // (rate << lsf) + pad


def lame(x, sr, mode, level):
    """An MP3 stream from libsndfile's LAME, split into frames (the first is LAME's Info/Xing frame)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'x.mp3')
        sf.write(path, x, sr, format='MP3', subtype='MPEG_LAYER_III', bitrate_mode=mode, compression_level=level)
        b = open(path, 'rb').read()
    pos = 0
    if b[:3] == b'ID3':
        pos = 10 + ((b[6] << 21) | (b[7] << 14) | (b[8] << 7) | b[9])
    frames = []
    while pos + 4 <= len(b):
        n = frame_bytes(b, pos)
        if n is None:
            break
        frames.append(b[pos:pos + n])
        pos += n
    assert b'Info' in frames[0] or b'Xing' in frames[0], 'LAME wrote no Info/Xing frame'
    return frames


def chunk(cid, body):
    return cid + struct.pack('<I', len(body)) + body + (b'\0' if len(body) & 1 else b'')


def acm_wav(stream, sr, channels, fact, order, first_frame, tail=b''):
    """RIFF/WAVE with MPEGLAYER3WAVEFORMAT as ACM writes it (wID 1, padding flags 2, codec delay 1393)."""
    fmt = struct.pack('<HHIIHHHHIHHH', 0x55, channels, sr, len(stream) * sr // max(1, fact), 1, 0, 12,
                      1, 2, first_frame, 1, 1393)
    parts = {'fmt': chunk(b'fmt ', fmt), 'fact': chunk(b'fact', struct.pack('<I', fact)), 'data': chunk(b'data', stream),
             'LIST': chunk(b'LIST', b'INFOISFT' + struct.pack('<I', 14) + b'bioprobe test\0')}
    body = b'WAVE' + b''.join(parts[p] for p in order)
    return b'RIFF' + struct.pack('<I', len(body)) + body + tail


def signal(sr, seconds, channels, loud_start):
    rng = np.random.RandomState(sr + channels)
    t = np.arange(int(seconds * sr)) / sr
    x = 0.3 * np.sin(2 * np.pi * 440 * t) + 0.2 * np.sin(2 * np.pi * 1375 * t + 0.4)
    if loud_start:  # a broadband burst over the first 60 ms: LAME's VBR gives the first frames many bits
        x = np.where(t < 0.06, 0.9 * rng.uniform(-1, 1, len(t)), 0.05 * x)
    x = x + 0.01 * rng.randn(len(t))
    if channels == 2:
        x = np.stack([x, 0.6 * np.roll(x, 37) + 0.05 * rng.randn(len(t))], axis=1)
    return x.astype(np.float32)


CASES = [
    # name, rate, channels, seconds, loud start, LAME mode, level, chunk order, keep Info frame, tail
    ('vbr_mono_11025', 11025, 1, 0.9, True, 'VARIABLE', 0.6, ('fmt', 'fact', 'data'), False, b''),
    ('cbr_mono_16000', 16000, 1, 0.6, False, 'CONSTANT', 0.8, ('fmt', 'data', 'fact'), False, b''),
    ('cbr_stereo_22050', 22050, 2, 0.5, False, 'CONSTANT', 0.7, ('fmt', 'fact', 'data', 'LIST'), False,
     b'TAG' + b'bioprobe id3v1 test'.ljust(125, b'\0')),
    ('vbr_stereo_44100', 44100, 2, 0.35, True, 'VARIABLE', 0.5, ('fmt', 'fact', 'data'), False, b''),
    ('info_mono_8000', 8000, 1, 0.8, False, 'CONSTANT', 0.4, ('fmt', 'fact', 'data'), True, b''),
    ('bare_vbr_mono_22050', 22050, 1, 0.5, True, 'VARIABLE', 0.6, None, False, b''),
]


def id3v2(size):
    """An ID3v2.3 tag of `size` bytes: a TIT2 frame, then zero padding (syncsafe size)."""
    title = b'\0bioprobe bare mp3 test'
    frame = b'TIT2' + struct.pack('>I', len(title)) + b'\0\0' + title
    n = size - 10
    return b'ID3\3\0\0' + bytes([(n >> 21) & 127, (n >> 14) & 127, (n >> 7) & 127, n & 127]) + frame.ljust(n, b'\0')


def main():
    os.makedirs(OUT, exist_ok=True)
    index = {'librosa': librosa.__version__, 'soundfile': sf.__version__, 'libsndfile': sf.__libsndfile_version__,
             'made_by': 'tools/make_mp3wav_fixtures.py', 'files': {}}
    for name, sr, ch, secs, loud, mode, level, order, keep_info, tail in CASES:
        x = signal(sr, secs, ch, loud)
        frames = lame(x, sr, mode, level)
        audio = frames if keep_info else frames[1:]
        if order is None:
            wav = id3v2(1024) + b''.join(audio)
            path = os.path.join(OUT, name + '.mp3')
        else:
            wav = acm_wav(b''.join(audio), sr, ch, len(x), order, len(audio[1]), tail)
            path = os.path.join(OUT, name + '.wav')
        with open(path, 'wb') as f:
            f.write(wav)
        info = sf.info(path)
        native, rate = librosa.load(path, sr=None)
        y16, _ = librosa.load(path, sr=16000)
        # A segment with many decimals, as IMV's labels: librosa seeks to int(offset * sr) (mpg123_seek).
        offset, end = round(0.1234567 * secs, 7), round(0.8123457 * secs, 7)
        seg, _ = librosa.load(path, sr=None, offset=offset, duration=end - offset)
        first = int(offset * rate)
        assert np.array_equal(seg, native[first:first + len(seg)]), f'{name}: the seeked segment differs from the whole decode'
        native.astype('<f4').tofile(os.path.join(OUT, name + '.native.f32'))
        if mode == 'VARIABLE' and order:
            y16.astype('<f4').tofile(os.path.join(OUT, name + '.16k.f32'))
        # libmpg123's estimate (what sf.info says) where no Info frame states the length.
        spf = 576 if sr < 32000 else 1152
        estimate = None if keep_info else int((len(wav) - (128 if wav[-128:-125] == b'TAG' else 0)) / len(audio[0]) * spf)
        index['files'][name] = {
            'file': os.path.basename(path), 'rate': int(rate), 'channels': ch, 'source_samples': len(x),
            'fact': len(x) if order else None, 'mpeg_frames': len(audio), 'samples_per_frame': spf, 'info_frame': keep_info,
            'first_frame_bytes': len(audio[0]), 'file_bytes': len(wav), 'estimate': estimate,
            'sf_frames': info.frames, 'native': len(native), 'resampled': len(y16),
            'segment': {'start': offset, 'end': end, 'samples': len(seg)}}
        print(f'{name}: {len(audio)} frames, {len(x)} samples encoded, sf.info {info.frames}, librosa {len(native)}'
              f' (estimate {estimate}), segment {len(seg)}', file=sys.stderr)
    with open(os.path.join(OUT, 'index.json'), 'w') as f:
        json.dump(index, f, indent=1)
    if '--real' in sys.argv:
        real()


def real():
    root = os.path.join(ROOT, '..', 'shared', 'data', 'animal-sounds')
    rows = [r.rsplit(',', 1)[0] for r in open(os.path.join(root, 'labels.csv'), encoding='utf8').read().splitlines()[1:] if r]
    out = {}
    for rel in rows:
        path = os.path.join(root, rel)
        b = open(path, 'rb').read(4096)
        i = b.find(b'fmt ')
        if i < 0 or struct.unpack('<H', b[i + 8:i + 10])[0] not in (0x50, 0x55):
            continue
        y, rate = librosa.load(path, sr=None)
        whole = open(path, 'rb').read()
        j = whole.find(b'fact', 12)
        fact = struct.unpack('<I', whole[j + 8:j + 12])[0] if j >= 0 else None
        out[rel] = {'rate': int(rate), 'channels': sf.info(path).channels, 'sf_frames': sf.info(path).frames, 'fact': fact,
                    'native': len(y), 'sum_abs': float(np.abs(y.astype(np.float64)).sum()), 'max_abs': float(np.abs(y).max())}
    with open(os.path.join(OUT, 'real_lengths.json'), 'w') as f:
        json.dump({'librosa': librosa.__version__, 'libsndfile': sf.__libsndfile_version__, 'dataset': 'animal-sounds',
                   'files': out}, f, indent=0)
    print(f'{len(out)} MP3-in-WAV files of animal-sounds -> real_lengths.json', file=sys.stderr)


if __name__ == '__main__':
    main()

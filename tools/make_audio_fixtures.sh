#!/usr/bin/env bash
# Small audio fixtures for test/audio (committed; tests never run these tools).
# Needs Debian's sox, flac, lame and vorbis-tools:
#   apt-get install -y sox flac lame vorbis-tools
# (libsoxr HQ references, librosa's resampler, come from tools/make_soxr_fixtures.py.)
#   tone.flac / tone.mp3 / tone.ogg : 0.5 s, 1 kHz sine at amplitude 0.5, 22050 Hz mono
#   tone-left.mp3                   : 0.5 s stereo, left = that sine, right = silence (channel mean = 0.25)
#   sweep-44100.wav                 : 0.1 s float32 sweep 300 -> 6000 Hz at 0.5, 44.1 kHz (resampler input)
#   sweep-16000-sox.wav             : the same resampled by SoX `rate -v` (very high quality), float32 16 kHz
#   {ima,ms}-adpcm-{mono,stereo}.wav : SoX-encoded ADPCM (0.25 s 440 Hz at 8 kHz mono; 0.2 s 440+1200 Hz
#                                      at 11025 Hz stereo), with *.sox.wav = SoX's own decode to 16-bit PCM
#   aiff-16.aiff, aiff-8.aiff, aiff-float.aifc : 0.05 s stereo 440/880 Hz at 22050 Hz written by SoX as
#                                      16-bit AIFF, 8-bit AIFF and float32 AIFF-C; aiff-16.sox.wav = the same as WAV
#                                      (SoX stamps AIFF files with the time: only they differ between runs)
set -euo pipefail
cd "$(dirname "$0")/.."
out=test/fixtures/audio
mkdir -p "$out"
tmp=$(mktemp -d)
sox -D -n -r 22050 -c 1 -b 16 "$tmp/tone.wav" synth 0.5 sine 1000 vol 0.5
flac --silent --force -8 -o "$out/tone.flac" "$tmp/tone.wav"
lame --quiet -b 64 "$tmp/tone.wav" "$out/tone.mp3"
oggenc --quiet --serial 1 -q 3 -o "$out/tone.ogg" "$tmp/tone.wav"
sox -D -n -r 22050 -c 1 -b 16 "$tmp/silence.wav" trim 0 0.5
sox -D -M "$tmp/tone.wav" "$tmp/silence.wav" "$tmp/left.wav"
lame --quiet -m s -b 96 "$tmp/left.wav" "$out/tone-left.mp3"
sox -D -n -r 44100 -c 1 -e floating-point -b 32 "$out/sweep-44100.wav" synth 0.1 sine 300:6000 vol 0.5
sox -D "$out/sweep-44100.wav" -e floating-point -b 32 "$out/sweep-16000-sox.wav" rate -v 16000
sox -D -n -r 8000 -c 1 -b 16 "$tmp/mono.wav" synth 0.25 sine 440 vol 0.6
sox -D -n -r 11025 -c 2 -b 16 "$tmp/stereo.wav" synth 0.2 sine 440 sine 1200 vol 0.5
for e in ima ms; do
  for c in mono stereo; do
    sox -D "$tmp/$c.wav" -e $e-adpcm "$out/$e-adpcm-$c.wav"
    sox -D "$out/$e-adpcm-$c.wav" -e signed -b 16 "$out/$e-adpcm-$c.sox.wav"
  done
done
sox -D -n -r 22050 -c 2 -b 16 "$out/aiff-16.aiff" synth 0.05 sine 440 sine 880 vol 0.5
sox -D "$out/aiff-16.aiff" -b 8 "$out/aiff-8.aiff"
sox -D "$out/aiff-16.aiff" -e floating-point -b 32 "$out/aiff-float.aifc"
sox -D "$out/aiff-16.aiff" "$out/aiff-16.sox.wav"
rm -rf "$tmp"
ls -l "$out"

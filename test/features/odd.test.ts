import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readClipsCsv } from '../../lib/features/clipsCsv.js';
import type { FeaturesManifest } from '../../lib/features/manifest.js';
import { readNpy } from '../../lib/util/npy.js';
import { chunk, fmtChunk, sampleBytes, wavBytes } from '../audio/wavbytes.js';
import { cli, TINY, tmp, toneWav } from './helpers.js';

/** The acceptance folder: broken and odd files next to good ones; what each row must say. */
function oddFolder(): { spec: string; expect: [string, RegExp][] } {
  const dir = tmp('bioprobe-features-odd-');
  const good = toneWav(3, 8000);
  const f32 = (v: number[]) => wavBytes([fmtChunk({ tag: 3, channels: 1, rate: 16000, bits: 32 }), chunk('data', sampleBytes(v, 'f32'))]);
  const files: [string, Uint8Array | string | null, RegExp][] = [
    ['good.wav', good, /^ok$/],
    ['truncated-header.wav', good.subarray(0, 30), /^truncated: /],
    ['truncated-data.wav', good.subarray(0, 4000), /^ok$/],
    ['empty.wav', new Uint8Array(0), /^file-empty: /],
    ['text.wav', 'path,label\nthis is not audio\n', /^not-audio: /],
    ['silent.wav', f32(new Array(8000).fill(0)), /^silent: /],
    ['all-nan.wav', f32(new Array(8000).fill(NaN)), /^silent: /],
    ['some-nan.wav', f32(Array.from({ length: 8000 }, (_, i) => (i % 100 === 0 ? NaN : Math.sin(i / 7)))), /^ok$/],
    ['ten-samples.wav', f32([0.1, -0.2, 0.3, -0.4, 0.5, -0.4, 0.3, -0.2, 0.1, 0]), /^ok$/],
    [
      'lying-header.wav',
      wavBytes([
        fmtChunk({ tag: 1, channels: 1, rate: 16000, bits: 16 }),
        chunk(
          'data',
          sampleBytes(
            Array.from({ length: 6000 }, (_, i) => ((i * 37) % 2000) - 1000),
            's16',
          ),
          { size: 1 << 20 },
        ),
      ]),
      /^ok$/,
    ],
    [
      'rate-0.wav',
      wavBytes([fmtChunk({ tag: 1, channels: 1, rate: 0, bits: 16 }), chunk('data', sampleBytes([1, 2, 3, 4], 's16'))]),
      /^bad-sample-rate: /,
    ],
    [
      'stereo-8bit.wav',
      wavBytes([
        fmtChunk({ tag: 1, channels: 2, rate: 11025, bits: 8 }),
        chunk(
          'data',
          sampleBytes(
            Array.from({ length: 8000 }, (_, i) => 128 + Math.round(90 * Math.sin(i / (i % 2 ? 5 : 9)))),
            'u8',
          ),
        ),
      ]),
      /^ok$/,
    ],
    ['missing.wav', null, /^file-missing: /],
    ['good-copy.wav', good, /^ok$/],
  ];
  const rows = ['path,label'];
  for (const [name, bytes] of files) {
    if (bytes !== null) writeFileSync(join(dir, name), bytes);
    rows.push(`${name},odd`);
  }
  writeFileSync(join(dir, 'labels.csv'), rows.join('\n') + '\n');
  return { spec: `csv:${join(dir, 'labels.csv')}`, expect: files.map(([n, , re]) => [n, re]) };
}

test('a folder of broken and odd files: exit 0, a reason per skipped clip, zero rows, no NaN, duplicates flagged', () => {
  const { spec, expect } = oddFolder();
  const out = tmp();
  const r = cli(['extract', '--model', TINY, '--dataset', spec, '--out', out, '--threads', '1']);
  assert.equal(r.code, 0, r.stderr);
  const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as FeaturesManifest;
  assert.deepEqual(m.summary, {
    ok: 7,
    skipped: 7,
    reasons: { truncated: 1, 'file-empty': 1, 'not-audio': 1, silent: 2, 'bad-sample-rate': 1, 'file-missing': 1 },
  });
  assert.match(r.stdout, /14 clips: 7 ok, 7 skipped \(silent 2, /);
  assert.match(r.stdout, /2 clips in 1 groups have identical features .* items 0, 13/);
  const rows = readClipsCsv(join(out, 'clips.csv'));
  rows.forEach((row, i) => assert.match(row.record.status, expect[i][1], expect[i][0]));
  const flags = Object.fromEntries(rows.map((x) => [x.item.path.split('/').pop(), x.record.flags ?? '']));
  assert.equal(flags['ten-samples.wav'], 'tiled');
  assert.match(flags['some-nan.wav'], /nonfinite=80/);
  assert.match(flags['lying-header.wav'], /truncated/);
  assert.equal(rows[11].record.channels, 2);
  for (let l = 0; l < m.layers; l++) {
    const { data } = readNpy(join(out, `layer_${String(l).padStart(2, '0')}.npy`));
    assert.ok(data.every(Number.isFinite), `layer ${l} holds NaN/Inf`);
    rows.forEach((row, i) => {
      const v = data.subarray(i * m.dim, (i + 1) * m.dim);
      if (row.record.status === 'ok')
        assert.ok(
          v.some((x) => x !== 0),
          `${row.item.path} has an all-zero row`,
        );
      else
        assert.ok(
          v.every((x) => x === 0),
          `${row.item.path} (skipped) has a non-zero row`,
        );
    });
  }
});

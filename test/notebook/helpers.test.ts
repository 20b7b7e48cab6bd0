import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  audioPlayerHtml,
  wavDataUri,
  spectrogramSvg,
  confusionView,
  confusionHtml,
  cellClips,
  bestValLayer,
  tableHtml,
  lengthsFigure,
  clipLengthsMs,
} from '../../lib/notebook/index.js';
import { loadDataset } from '../../lib/datasets/load.js';
import { writeNpy } from '../../lib/util/npy.js';

const HOSTILE = '</script><img src=x onerror=alert(1)>';

test('the audio player embeds the clip as a 16-bit WAV data URI and escapes its caption', () => {
  const x = Float32Array.from({ length: 1600 }, (_, i) => Math.sin(i / 5));
  const uri = wavDataUri(x, 16000);
  const wav = Buffer.from(uri.replace('data:audio/wav;base64,', ''), 'base64');
  assert.equal(wav.toString('ascii', 0, 4), 'RIFF');
  assert.equal(wav.readUInt32LE(24), 16000);
  assert.equal(wav.readUInt32LE(40), 3200); // data bytes: 1600 samples x 2
  const html = audioPlayerHtml(x, 16000, HOSTILE);
  assert.match(html, /<audio controls/);
  assert.ok(!html.includes('<img'), 'caption escaped');
  assert.match(html, /0\.10 s at 16000 Hz/);
});

test('the spectrogram of a 1 kHz tone is brightest in the band around 1 kHz', () => {
  const x = Float32Array.from({ length: 16000 }, (_, i) => 0.8 * Math.sin((2 * Math.PI * 1000 * i) / 16000));
  const svg = spectrogramSvg(x, { title: HOSTILE, width: 400, height: 200 });
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.ok(!svg.includes('<img'));
  const rects = [...svg.matchAll(/<rect x="[\d.]+" y="([\d.]+)" width="([\d.]+)" height="[\d.]+" fill="(#[0-9a-f]{6})"\/>/g)];
  assert.ok(rects.length > 0 && rects.length < (101 * 64) / 4, `runs merged: ${rects.length} rects`);
  const brightest = rects.filter((r) => r[3] === '#fde725').map((r) => Number(r[1]));
  assert.ok(brightest.length > 0);
  // plot area: top 22, height 200-22-28 = 150; 1 kHz sits at mel fraction ~0.35 from the bottom
  const y = brightest.reduce((a, b) => a + b, 0) / brightest.length;
  const frac = (22 + 150 - y) / 150;
  assert.ok(frac > 0.25 && frac < 0.45, `1 kHz band at fraction ${frac}`);
});

/** A results folder of INTERFACE.md with 3 classes, 6 test items (one skipped clip) and known posteriors. */
function resultsFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bp-nb-'));
  mkdirSync(join(dir, 'predictions'));
  writeFileSync(join(dir, 'classes.json'), JSON.stringify(['bark', 'growl', HOSTILE]));
  const split = [
    'index,path,label,split',
    '0,a.wav,bark,train',
    '1,b.wav,bark,test',
    '2,c.wav,growl,test',
    '3,d.wav,growl,test',
    `4,e.wav,"${HOSTILE}",test`,
    '5,f.wav,bark,test',
    '6,g.wav,bark,val',
    '7,h.wav,growl,test',
  ];
  writeFileSync(join(dir, 'split.csv'), split.join('\n') + '\n');
  writeFileSync(
    join(dir, 'clips.csv'),
    'index,path,label,start,end,status\n' +
      [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `${i},x${i}.wav,l,,,${i === 7 ? 'silent: every sample is 0' : 'ok'}`).join('\n') +
      '\n',
  );
  writeFileSync(
    join(dir, 'results.csv'),
    'model,dataset,layer,seed,split,uar,accuracy,epochs\nm,d,0,12345,val,0.5,0.5,3\nm,d,1,12345,val,0.75,0.7,3\nm,d,0,12345,test,0.5,0.5,3\nm,d,1,12345,test,0.6,0.6,3\n',
  );
  // test rows (clip 7 skipped): 1 bark->bark, 2 growl->bark, 3 growl->growl, 4 hostile->hostile, 5 bark->bark
  const p = [0.9, 0.05, 0.05, 0.6, 0.3, 0.1, 0.1, 0.8, 0.1, 0.1, 0.1, 0.8, 0.7, 0.2, 0.1];
  writeNpy(join(dir, 'predictions', 'layer_01.test.npy'), Float32Array.from(p), [5, 3]);
  return dir;
}

test('the confusion view lists the clips behind each cell and skips unusable clips', () => {
  const dir = resultsFixture();
  assert.equal(bestValLayer(dir), 1);
  const v = confusionView(dir, { layer: 1 });
  assert.deepEqual(v.counts, [
    [2, 0, 0],
    [1, 1, 0],
    [0, 0, 1],
  ]);
  assert.deepEqual(
    cellClips(v, 'growl', 'bark').map((c) => c.path),
    ['c.wav'],
  );
  assert.deepEqual(
    cellClips(v, 'bark', 'bark').map((c) => c.index),
    [1, 5],
  );
  assert.ok(Math.abs(cellClips(v, 'growl', 'bark')[0].confidence - 0.6) < 1e-6);
  const html = confusionHtml(v);
  assert.ok(!html.includes('<img'), 'class names escaped');
  assert.match(html, /<details><summary>2<\/summary>/);
  assert.throws(() => confusionView(dir, { layer: 'fusion' }), /no predictions\/fusion\.test\.npy/);
});

test('tables go through arquero, escaped and rounded', () => {
  const html = tableHtml([
    { model: HOSTILE, uar: 61.23456 },
    { model: 'b', uar: 50 },
  ]);
  assert.match(html, /<table>/);
  assert.match(html, /61\.23/);
  assert.ok(!html.includes('<img'));
});

test('Fig. 1 from a dataset: clip lengths from headers, rendered to SVG', async () => {
  const ds = await loadDataset('synthetic:8', { cacheDir: mkdtempSync(join(tmpdir(), 'bp-nbc-')) });
  const lengths = clipLengthsMs(ds);
  assert.equal(lengths.length, 8);
  assert.ok(lengths.every((l) => l > 0 && l < 5000));
  const svg = await lengthsFigure([ds]);
  assert.match(svg ?? '', /<svg/);
});

/**
 * Real, messy recordings (shared data, never copied into the repo): every clip of animal-sounds
 * (875: 8-bit, MP3 inside WAV, A-law stereo, unpadded odd chunks, rates 8000..48000 incl. 11127,
 * 22000, 22255) and birds (91) must come out of openClips as a 16 kHz clip, or with a precise reason.
 * Measured when written: 875/875 and 91/91 ok.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Item } from '../../lib/datasets/types.js';
import { openClips, AUDIO_ERROR_CODES } from '../../lib/audio/index.js';

const DATA = new URL('../../../shared/data/', import.meta.url).pathname;

function items(root: string): Item[] {
  const lines = readFileSync(join(root, 'labels.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
  return lines.map((line, index) => {
    const cut = line.lastIndexOf(',');
    return { index, path: join(root, line.slice(0, cut)), label: line.slice(cut + 1) };
  });
}

async function run(root: string) {
  const list = items(root);
  let ok = 0;
  let seconds = 0;
  const codecs = new Map<string, number>();
  const rates = new Set<number>();
  const failures: string[] = [];
  for await (const r of openClips(list)) {
    if (r.error) {
      assert.ok((AUDIO_ERROR_CODES as readonly string[]).includes(r.error.code), r.error.code);
      assert.ok(r.error.oneLine().startsWith(r.item.path + ': '), 'failure names its file');
      failures.push(`${r.error.code} ${r.error.oneLine()}`);
      continue;
    }
    const c = r.clip;
    assert.equal(c.sampleRate, 16000);
    assert.ok(c.samples.length >= 5000);
    let peak = 0;
    for (const x of c.samples) {
      assert.ok(Number.isFinite(x), `${r.item.path}: non-finite output`);
      peak = Math.max(peak, Math.abs(x));
    }
    assert.equal(peak, c.flags.silent ? 0 : 1, `${r.item.path}: peak-normalised`);
    ok++;
    seconds += c.durationSeconds;
    rates.add(c.sourceRate);
    const key = `${c.sourceCodec}/${c.sourceChannels}ch`;
    codecs.set(key, (codecs.get(key) ?? 0) + 1);
  }
  return { total: list.length, ok, seconds, codecs, rates, failures };
}

const animals = join(DATA, 'animal-sounds');
test('all 875 animal-sounds clips decode and prepare (or fail with a reason)', {
  skip: !existsSync(animals) && 'shared data absent: ' + animals,
}, async (t) => {
  const r = await run(animals);
  t.diagnostic(
    `${r.ok}/${r.total} ok, ${r.seconds.toFixed(0)} s of audio; ${[...r.codecs].map(([k, v]) => `${k} ${v}`).join(', ')}; rates ${[...r.rates].sort((a, b) => a - b).join(' ')}`,
  );
  for (const f of r.failures) t.diagnostic(f);
  assert.equal(r.total, 875);
  assert.ok(r.ok >= 875, `${r.ok} ok; failures:\n${r.failures.join('\n')}`);
  assert.equal(r.codecs.get('mp3/1ch')! + r.codecs.get('mp3/2ch')!, 56, 'the MP3-in-WAV files');
  assert.equal(r.codecs.get('alaw/2ch'), 3);
  assert.ok(r.rates.has(11127) && r.rates.has(22000) && r.rates.has(8000) && r.rates.has(48000));
});

const birds = join(DATA, 'birds');
test('all 91 birds clips decode and prepare', { skip: !existsSync(birds) && 'shared data absent: ' + birds }, async (t) => {
  const r = await run(birds);
  t.diagnostic(`${r.ok}/${r.total} ok, ${r.seconds.toFixed(0)} s of audio`);
  assert.equal(r.total, 91);
  assert.ok(r.ok >= 91, r.failures.join('\n'));
});

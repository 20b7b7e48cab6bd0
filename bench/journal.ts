/**
 * `npm run bench:journal`: how long an interrupted extraction's resume takes to read its progress
 * journal (lib/features/journal.ts), at IMV size (73k clips) and at 1/4, 1/2 and 2x of it, so the
 * growth is visible (linear: time doubles with the lines). Each size: median of 5 reads of a journal
 * whose lines look like real ones (about 110 bytes; some skipped clips with multi-byte reasons).
 * Also shown: JSON.parse of every line alone (the floor any reader pays).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Journal } from '../lib/features/journal.js';

const IMV = 73_000;
const dir = mkdtempSync(join(tmpdir(), 'bioprobe-bench-journal-'));
const path = join(dir, 'progress.jsonl');

function text(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    s +=
      JSON.stringify(
        i % 97 === 5
          ? { i, status: 'decode-error: ünreadable RIFF chunk «data»' }
          : { i, status: 'ok', duration_s: 1 + (i % 13) * 0.25, sample_rate: 44100, channels: 1, frames: 49 + (i % 40), chunks: 1 },
      ) + '\n';
  }
  return s;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

console.log('| lines | MB | Journal.open (median of 5) | JSON.parse of the lines alone |');
console.log('|---|---|---|---|');
try {
  for (const n of [IMV / 4, IMV / 2, IMV, 2 * IMV]) {
    const t = text(n);
    const open: number[] = [];
    const parse: number[] = [];
    for (let r = 0; r < 5; r++) {
      writeFileSync(path, t);
      let t0 = performance.now();
      const { journal, records } = Journal.open(path);
      open.push(performance.now() - t0);
      journal.close();
      if (records.size !== n) throw new Error(`read ${records.size} of ${n} records`);
      t0 = performance.now();
      for (const line of readFileSync(path, 'utf8').split('\n')) if (line) JSON.parse(line);
      parse.push(performance.now() - t0);
    }
    console.log(`| ${n} | ${(Buffer.byteLength(t) / 1e6).toFixed(1)} | ${median(open).toFixed(0)} ms | ${median(parse).toFixed(0)} ms |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The progress journal read back on resume: torn and unreadable lines, multi-byte text, and its cost
 * at IMV size (73k lines). Speed is not asserted against a fixed clock alone: the read is held to a
 * small multiple of the unavoidable work (JSON.parse of every line) measured on the same machine, or
 * the 1 s, whichever is larger. A read quadratic in the lines (the defect this guards: every
 * line re-measured the byte length of the text before it) takes minutes at this size.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Journal, readRecords, type ClipRecord } from '../../lib/features/journal.js';
import { tmp } from './helpers.js';

/** IMV's clip count (SPEC.md datasets). */
const IMV_CLIPS = 73_000;

function record(i: number): ClipRecord {
  return i % 97 === 5
    ? { i, status: 'decode-error: ünreadable RIFF chunk «data»' }
    : { i, status: 'ok', duration_s: 1 + (i % 13) * 0.25, sample_rate: 44100, channels: 1 + (i % 2), frames: 49 + (i % 40), chunks: 1 };
}

function journalText(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += JSON.stringify(record(i)) + '\n';
  return s;
}

test('a torn or unreadable line ends the journal there; multi-byte text keeps byte offsets right', () => {
  const dir = tmp();
  const path = join(dir, 'progress.jsonl');
  const good = journalText(10); // line 5 holds multi-byte characters
  writeFileSync(path, good + '{"i":10,"status":"o');
  let { journal, records } = Journal.open(path);
  journal.close();
  assert.equal(records.size, 10);
  assert.deepEqual(records.get(5), record(5));
  assert.equal(statSync(path).size, Buffer.byteLength(good, 'utf8'), 'truncated to the whole lines');
  appendFileSync(path, 'not json\n' + JSON.stringify(record(11)) + '\n');
  ({ journal, records } = Journal.open(path));
  journal.close();
  assert.equal(records.size, 10, 'nothing after an unreadable line is trusted');
  assert.equal(readFileSync(path, 'utf8'), good);
  const again = new Map<number, ClipRecord>();
  const later = JSON.stringify({ i: 3, status: 'ok' }) + '\n';
  assert.equal(readRecords(Buffer.from(good + later), again), Buffer.byteLength(good + later));
  assert.deepEqual(again.get(3), { i: 3, status: 'ok' }, 'a later line for the same clip wins');
});

test(`resume reads a ${IMV_CLIPS}-line journal in linear time (under 1 s, or within 10x of parsing its lines)`, () => {
  const dir = tmp();
  const path = join(dir, 'progress.jsonl');
  const text = journalText(IMV_CLIPS);
  writeFileSync(path, text + '{"i":73000,"sta'); // and a torn last line
  // the unavoidable work, on this machine now: decode the file and parse each line
  const t0 = performance.now();
  let parsed = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    try {
      JSON.parse(line);
      parsed++;
    } catch {
      /* torn */
    }
  }
  const baseline = performance.now() - t0;
  assert.equal(parsed, IMV_CLIPS);
  const t1 = performance.now();
  const { journal, records } = Journal.open(path);
  const ms = performance.now() - t1;
  journal.close();
  assert.equal(records.size, IMV_CLIPS);
  assert.equal(statSync(path).size, Buffer.byteLength(text));
  const bound = Math.max(1000, 10 * baseline);
  assert.ok(
    ms < bound,
    `reading ${IMV_CLIPS} lines took ${ms.toFixed(0)} ms (bound ${bound.toFixed(0)} ms; parsing them alone ${baseline.toFixed(0)} ms)`,
  );
});

/** An interrupted `probe` run resumes where it stopped and writes the same files as an uninterrupted one. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticFeatures } from '../../lib/probe/synthetic.js';
import { runProbe, type ProbeRunOptions } from '../../lib/probe/run.js';
import { DEFAULT_PROTOCOL } from '../../lib/probe/protocol.js';
import { PARTIAL_DIR } from '../../lib/probe/checkpoint.js';

const root = mkdtempSync(join(tmpdir(), 'bioprobe-probe-resume-'));
const feats = join(root, 'features');
writeSyntheticFeatures(feats, { n: 200, dim: 16, classes: 3, layers: 3, seed: 4, separation: 0.4 });
test.after(() => rmSync(root, { recursive: true, force: true }));

const base = { features: feats, seed: 3, seeds: 2, protocol: { ...DEFAULT_PROTOCOL, epochs: 5 }, stack: 1 };
const FILES = ['results.csv', 'summary.csv', 'history.csv', 'predictions/layer_02.test.npy', 'predictions/seed_4/layer_01.val.npy', 'confusion/seed_4/layer_00.test.json'];

/** Run, throwing from the progress callback once `after` stack-seed runs have finished. */
async function interrupted(o: ProbeRunOptions, after: number): Promise<void> {
  let finished = 0;
  await assert.rejects(runProbe({
    ...o,
    onProgress: (m) => { if (/ seed \d+: [\d.]+ s$/.test(m) && ++finished === after) throw new Error('interrupted'); },
  }), /interrupted/);
}

for (const threads of [1, 2]) {
  test(`an interrupted run resumes and matches an uninterrupted one (${threads} thread(s))`, async () => {
    const whole = join(root, `whole-${threads}`);
    const resumed = join(root, `resumed-${threads}`);
    await runProbe({ ...base, threads, out: whole });
    assert.ok(!existsSync(join(whole, PARTIAL_DIR)), 'no checkpoint left after a complete run');
    await interrupted({ ...base, threads, out: resumed }, 2);
    const kept = readdirSync(join(resumed, PARTIAL_DIR)).filter((f) => f.startsWith('stack_'));
    assert.ok(kept.length >= 2, `finished stack-seed runs are recorded: ${kept.join(', ')}`);
    const lines: string[] = [];
    await runProbe({ ...base, threads, out: resumed, onProgress: (m) => lines.push(m) });
    assert.ok(lines.some((l) => /resuming: \d+ of 6 stack-seed runs already done/.test(l)), lines.join('\n'));
    assert.equal(lines.filter((l) => / seed \d+: [\d.]+ s$/.test(l)).length, 6 - Number(/resuming: (\d+)/.exec(lines.join('\n'))![1]), 'only the rest is trained');
    for (const f of FILES) assert.ok(readFileSync(join(whole, f)).equals(readFileSync(join(resumed, f))), f);
    assert.ok(!existsSync(join(resumed, PARTIAL_DIR)));
  });
}

test('a run with other settings into the same folder starts afresh', async () => {
  const out = join(root, 'changed');
  await interrupted({ ...base, threads: 1, out }, 1);
  const lines: string[] = [];
  await runProbe({ ...base, threads: 1, out, seed: 11, onProgress: (m) => lines.push(m) });
  assert.ok(!lines.some((l) => l.includes('resuming')), lines.join('\n'));
  const seeds = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[3]);
  assert.deepEqual([...new Set(seeds)], ['11', '12']);
});

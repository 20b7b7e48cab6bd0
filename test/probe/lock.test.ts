/**
 * The probe's results folder is locked like a features store: a second `bioprobe probe --out` into a
 * folder another run is writing is refused in one line naming that run's pid; after the first run is
 * killed (kill -9 leaves its lock), the next run takes the stale lock over and completes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeSyntheticFeatures } from '../../lib/probe/synthetic.js';
import { LOCK_NAME } from '../../lib/util/lock.js';

const root = mkdtempSync(join(tmpdir(), 'bioprobe-probe-lock-'));
const feats = join(root, 'features');
writeSyntheticFeatures(feats, { n: 400, dim: 16, classes: 3, layers: 1, seed: 2, separation: 0.3 });
test.after(() => rmSync(root, { recursive: true, force: true }));

const CLI = ['--import', 'tsx', 'lib/cli/main.ts', 'probe', '--features', feats, '--threads', '1'];

test("a second probe into a folder being written is refused naming the first; a killed run's lock is taken over", {
  timeout: 120_000,
}, async () => {
  const out = join(root, 'res');
  // long enough to be still running when the second starts: 200 seeds of 30 epochs
  const first = spawn(process.execPath, [...CLI, '--out', out, '--seeds', '200', '--quiet'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => first.on('exit', resolve));
  try {
    const lock = join(out, LOCK_NAME);
    for (let t = 0; !existsSync(lock); t++) {
      assert.ok(t < 600 && first.exitCode === null, 'the first run took its lock');
      await sleep(50);
    }
    assert.equal(JSON.parse(readFileSync(lock, 'utf8')).pid, first.pid);

    const second = spawnSync(process.execPath, [...CLI, '--out', out, '--epochs', '1'], { encoding: 'utf8' });
    assert.equal(second.status, 1);
    assert.equal(second.stderr.trim().split('\n').length, 1, second.stderr);
    assert.match(second.stderr, new RegExp(`another bioprobe process \\(pid ${first.pid} on .*\\) is writing this results folder`));

    first.kill('SIGKILL');
    await exited;
    assert.ok(existsSync(lock), 'kill -9 leaves the lock behind');
    const third = spawnSync(process.execPath, [...CLI, '--out', out, '--epochs', '1'], { encoding: 'utf8' });
    assert.equal(third.status, 0, third.stderr);
    assert.match(third.stderr, new RegExp(`taking over a stale lock of .* left by pid ${first.pid} \\(no longer running\\)`));
    assert.ok(existsSync(join(out, 'results.csv')));
    assert.ok(!existsSync(lock), 'released at the end');
  } finally {
    if (first.exitCode === null) first.kill('SIGKILL');
  }
});

test('a run refused at once (bad features) leaves no lock and no empty folder behind', () => {
  const out = join(root, 'never');
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', 'probe', '--features', root, '--out', out], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /manifest\.json is missing/);
  assert.ok(!existsSync(out));
});

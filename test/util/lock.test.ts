/**
 * The output-folder lock (lib/util/lock.ts): refusals name the holder, stale locks are taken over, and
 * a stale lock raced for by several real processes at once is won by exactly one of them, every round.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DirLock, LOCK_NAME } from '../../lib/util/lock.js';
import { BioprobeError } from '../../lib/util/errors.js';

const root = mkdtempSync(join(tmpdir(), 'bioprobe-lock-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const d = join(root, `d${n++}`);
  spawnSync('mkdir', [d]);
  return d;
};
const opts = { kind: 'probe' as const, what: 'results folder' };

/** The pid of a process that has exited (a stale lock's owner). */
const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;

function staleLock(dir: string, tag: string): string {
  const raw = JSON.stringify({ pid: deadPid, host: hostname(), started: tag, nonce: tag });
  writeFileSync(join(dir, LOCK_NAME), raw);
  return raw;
}

/** What the lock leaves besides `.lock` (temp and claim files): must be nothing. */
const debris = (dir: string) => readdirSync(dir).filter((f) => f.startsWith(`${LOCK_NAME}.`));

test('a held lock refuses a second taker with the holder pid; release frees it', () => {
  const dir = fresh();
  const a = DirLock.acquire(dir, opts);
  assert.throws(
    () => DirLock.acquire(dir, opts),
    (e: unknown) =>
      e instanceof BioprobeError &&
      e.kind === 'probe' &&
      e.code === 'locked' &&
      new RegExp(`another bioprobe process \\(pid ${process.pid} on `).test(e.message) &&
      /results folder/.test(e.message) &&
      e.file === dir,
  );
  a.release();
  const b = DirLock.acquire(dir, opts);
  b.release();
  assert.deepEqual(readdirSync(dir), []);
});

test('a stale lock (dead pid, this host) is taken over with a notice; other hosts and unreadable locks are refused', () => {
  const dir = fresh();
  staleLock(dir, 'x');
  const lines: string[] = [];
  const l = DirLock.acquire(dir, { ...opts, notice: (s) => lines.push(s) });
  assert.match(lines.join('\n'), new RegExp(`stale lock .* pid ${deadPid} \\(no longer running\\)`));
  assert.equal(JSON.parse(readFileSync(join(dir, LOCK_NAME), 'utf8')).pid, process.pid);
  assert.deepEqual(debris(dir), []);
  l.release();

  writeFileSync(join(dir, LOCK_NAME), JSON.stringify({ pid: deadPid, host: 'elsewhere', started: 'x' }));
  assert.throws(() => DirLock.acquire(dir, opts), /pid \d+ on elsewhere.*/);
  writeFileSync(join(dir, LOCK_NAME), 'garbage');
  assert.throws(
    () => DirLock.acquire(dir, opts),
    (e: unknown) => e instanceof BioprobeError && e.code === 'locked' && /cannot read/.test(e.message) && /delete/.test(e.hint ?? ''),
  );
});

test('a takeover whose claimer died mid-way is completed by the next process; a live claimer is waited for, then named', () => {
  const dir = fresh();
  const raw = staleLock(dir, 'y');
  const claim = `${join(dir, LOCK_NAME)}.takeover-${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;
  writeFileSync(`${claim}.0`, JSON.stringify({ pid: deadPid, host: hostname(), started: 'z' }));
  const l = DirLock.acquire(dir, opts);
  assert.deepEqual(debris(dir), [], 'the dead claim is cleaned up');
  l.release();

  const raw2 = staleLock(dir, 'w');
  const claim2 = `${join(dir, LOCK_NAME)}.takeover-${createHash('sha256').update(raw2).digest('hex').slice(0, 16)}`;
  writeFileSync(`${claim2}.0`, JSON.stringify({ pid: process.pid, host: hostname(), started: 'now' }));
  assert.throws(() => DirLock.acquire(dir, opts), new RegExp(`pid ${process.pid} is taking over the stale lock`));
  assert.equal(readFileSync(join(dir, LOCK_NAME), 'utf8'), raw2, 'the stale lock is left to its claimer');
});

/** A racer process (test/util/lockRacer.ts) and a reader of its JSON answers. */
interface Racer {
  proc: ChildProcessWithoutNullStreams;
  next: () => Promise<Record<string, unknown>>;
}

function startRacer(): Racer {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/util/lockRacer.ts'], { stdio: 'pipe' });
  const queue: Record<string, unknown>[] = [];
  const waiting: ((v: Record<string, unknown>) => void)[] = [];
  createInterface({ input: proc.stdout }).on('line', (line) => {
    const v = JSON.parse(line) as Record<string, unknown>;
    const w = waiting.shift();
    if (w) w(v);
    else queue.push(v);
  });
  return {
    proc,
    next: () =>
      new Promise((resolve) => {
        const v = queue.shift();
        if (v) resolve(v);
        else waiting.push(resolve);
      }),
  };
}

const RACERS = 6;
const ROUNDS = 30;

/** The racer processes, started once for both racing tests and ended with this file. */
const live: Racer[] = [];
test.after(() => {
  for (const r of live) r.proc.stdin.end();
});
let started: Promise<{ racers: Racer[]; pids: number[] }> | undefined;
function racers(): Promise<{ racers: Racer[]; pids: number[] }> {
  started ??= (async () => {
    const rs = Array.from({ length: RACERS }, startRacer);
    live.push(...rs);
    return { racers: rs, pids: (await Promise.all(rs.map((r) => r.next()))).map((m) => m.ready as number) };
  })();
  return started;
}

for (const [how, noLink] of [
  ['hard links', false],
  ['no hard links: O_EXCL, then write', true],
] as const) {
  test(`${RACERS} processes racing for one stale lock (${how}): exactly one wins, ${ROUNDS} rounds out of ${ROUNDS}`, {
    timeout: 120_000,
  }, async () => {
    const { racers: rs, pids } = await racers();
    for (let round = 0; round < ROUNDS; round++) {
      const dir = fresh();
      staleLock(dir, `round-${round}`);
      const at = Date.now() + 60;
      for (const r of rs) r.proc.stdin.write(JSON.stringify({ go: dir, at, noLink }) + '\n');
      const answers = await Promise.all(rs.map((r) => r.next()));
      const winners = answers.flatMap((a, i) => (a.won ? [pids[i]] : []));
      assert.equal(winners.length, 1, `round ${round}: ${winners.length} winners: ${JSON.stringify(answers)}`);
      assert.equal(JSON.parse(readFileSync(join(dir, LOCK_NAME), 'utf8')).pid, winners[0], `round ${round}: the lock file is the winner's`);
      for (const a of answers.filter((x) => !x.won)) {
        assert.equal(a.code, 'locked', JSON.stringify(a));
        assert.match(String(a.message), new RegExp(`pid ${winners[0]} on`), 'losers name the winner');
      }
      for (const r of rs) r.proc.stdin.write(JSON.stringify({ release: true }) + '\n');
      await Promise.all(rs.map((r) => r.next()));
      assert.deepEqual(readdirSync(dir), [], `round ${round}: nothing left behind`);
    }
  });
}

test('a lock still being written (created empty, filled a moment later) is waited for, then its holder named', async () => {
  const dir = fresh();
  const lock = join(dir, LOCK_NAME);
  const writer = spawn(
    process.execPath,
    [
      '-e',
      `
    const fs = require('node:fs');
    const fd = fs.openSync(${JSON.stringify(lock)}, 'wx');
    setTimeout(() => { fs.writeSync(fd, JSON.stringify({ pid: process.pid, host: require('node:os').hostname(), started: 'now' })); fs.closeSync(fd); }, 300);
    setTimeout(() => {}, 20000);`,
    ],
    { stdio: 'ignore' },
  );
  try {
    while (!existsSync(lock)) await sleep(5);
    assert.throws(() => DirLock.acquire(dir, opts), new RegExp(`another bioprobe process \\(pid ${writer.pid} on `));
  } finally {
    writer.kill('SIGKILL');
  }
});

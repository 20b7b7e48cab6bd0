/**
 * One writer per output folder (a features store, a probe's results): a lock file `<dir>/.lock` holding
 * the owner's pid, host, start time and a random nonce. A second process is refused with a clear error
 * naming the holder; a lock left by a process that died on this host (kill -9, crash) is taken over
 * with a notice.
 *
 * Every step that can race is a single atomic file-system operation:
 * - Taking a free lock: the token is written to a private temp file, then hard-linked to `.lock`
 *   (link() fails if `.lock` exists), so a lock file is never seen half-written (on file systems
 *   without hard links: created with O_EXCL, then written; a reader waits out an unreadable lock).
 * - Taking over a stale lock: processes that find the same dead holder first claim the takeover by
 *   linking a claim file named after that exact lock's content (`.lock.takeover-<hash>.<g>`): one
 *   process wins the claim. The winner re-reads `.lock`; only if it still holds that stale content does
 *   it rename its own token over it (rename() replaces atomically; `.lock` never goes missing, so no
 *   third process can slip in through an empty slot). Losers see the new holder and are refused.
 *   A claimer that died between claiming and renaming is itself recognised as dead, and the next
 *   generation `<g + 1>` of the claim is taken (again by exactly one process).
 * Tokens are unique (nonce), so a re-read that matches means "nobody took over in between".
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { BioprobeError, type ErrorKind } from './errors.js';

export const LOCK_NAME = '.lock';

interface LockInfo {
  pid: number;
  host: string;
  started: string;
  nonce?: string;
}

interface LockOptions {
  /** Error kind of a refusal (the stage that owns the folder). */
  kind: ErrorKind;
  /** What the folder is, for messages ("features folder", "results folder"). */
  what: string;
  /** Receives one line when a stale lock is taken over. */
  notice?: (line: string) => void;
}

/** How long to wait for another process in the middle of taking over the same stale lock (or of writing its lock). */
const WAIT_MS = 2000;
const POLL_MS = 5;

/** True when a process with this pid exists on this host. */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The raw text of a file, or undefined when it does not exist. */
function readRaw(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function parse(raw: string | undefined): LockInfo | undefined {
  if (raw === undefined) return undefined;
  try {
    const v = JSON.parse(raw) as LockInfo;
    return typeof v.pid === 'number' && typeof v.host === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Error codes of file systems without hard links (exFAT, FAT, some network shares). */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/**
 * Create `path` with `content` only if it does not exist: atomic, and complete when visible (a temp
 * file hard-linked into place). Where the file system has no hard links: O_EXCL creation, then the
 * write, so readers may briefly see it empty (acquire waits for that). BIOPROBE_TEST_NO_LINK=1 takes
 * that path everywhere (tests).
 */
function createExclusive(path: string, content: string): boolean {
  if (process.env.BIOPROBE_TEST_NO_LINK !== '1') {
    const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(tmp, content);
    try {
      linkSync(tmp, path);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') return false;
      if (!NO_LINKS.has(code)) throw err;
    } finally {
      try {
        unlinkSync(tmp);
      } catch {
        /* gone */
      }
    }
  }
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Replace the stale lock whose content is `stale` by `token`, unless another process does (see the
 * module comment). `busy`: the pid of a live process holding the claim (it is taking over right now;
 * -1 when the claim file cannot be read).
 */
function takeOver(path: string, stale: string, token: string): { won: boolean; busy?: number } {
  const base = `${path}.takeover-${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`;
  for (let g = 0; ; g++) {
    const claim = `${base}.${g}`;
    if (!createExclusive(claim, token)) {
      const raw = readRaw(claim);
      if (raw === undefined) return { won: false }; // a winner cleaned up: look at the lock again
      const holder = parse(raw);
      if (holder && !pidAlive(holder.pid)) continue; // that claimer died: the next generation
      return { won: false, busy: holder?.pid ?? -1 };
    }
    try {
      if (readRaw(path) !== stale) return { won: false }; // someone took over (or released) first
      const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
      writeFileSync(tmp, token);
      renameSync(tmp, path);
      return { won: true };
    } finally {
      // this claim and the dead generations before it; claims are only ever acted on after the
      // re-read above, which fails from now on
      for (let k = 0; k <= g; k++)
        try {
          unlinkSync(`${base}.${k}`);
        } catch {
          /* gone */
        }
    }
  }
}

/** A held lock; `release()` removes the file (only if it is still ours). */
export class DirLock {
  private released = false;
  private constructor(
    readonly path: string,
    private readonly token: string,
  ) {}

  /** Take the lock of `dir` (which must exist), or throw a BioprobeError (code `locked`) naming the holder. */
  static acquire(dir: string, opts: LockOptions): DirLock {
    const path = join(dir, LOCK_NAME);
    const me: LockInfo = { pid: process.pid, host: hostname(), started: new Date().toISOString(), nonce: randomBytes(8).toString('hex') };
    const token = JSON.stringify(me);
    const refuse: (message: string, hint: string) => never = (message, hint) => {
      throw new BioprobeError(opts.kind, 'locked', message, { file: dir, hint });
    };
    const deadline = Date.now() + WAIT_MS;
    // why we are waiting (message and hint of the refusal if it lasts past the deadline)
    for (let waiting: [string, string] | undefined; ; ) {
      if (waiting) {
        if (Date.now() > deadline) refuse(...waiting);
        sleep(POLL_MS);
      }
      if (createExclusive(path, token)) return new DirLock(path, token);
      const raw = readRaw(path);
      if (raw === undefined) {
        waiting = undefined;
        continue;
      } // released meanwhile: try again
      const held = parse(raw);
      if (held === undefined) {
        // being written (file systems without hard links), or junk
        waiting = [
          `this ${opts.what} has a lock file bioprobe cannot read (${JSON.stringify(raw.slice(0, 60))})`,
          `if no bioprobe process is writing it, delete ${path}`,
        ];
        continue;
      }
      if (held.host !== me.host || pidAlive(held.pid)) {
        const who = `pid ${held.pid} on ${held.host} since ${held.started}`;
        refuse(
          `another bioprobe process (${who}) is writing this ${opts.what}`,
          held.host !== me.host ? `if that process is gone, delete ${path}` : 'wait for it to finish, or use another --out',
        );
      }
      const t = takeOver(path, raw, token);
      if (t.won) {
        opts.notice?.(`taking over a stale lock of ${dir} left by pid ${held.pid} (no longer running)`);
        return new DirLock(path, token);
      }
      // a live claimer is taking over right now: wait for it; otherwise the lock changed hands: look again
      waiting =
        t.busy === undefined
          ? undefined
          : [
              `pid ${t.busy} is taking over the stale lock of this ${opts.what} and has not finished`,
              `if no bioprobe process is running, delete ${path} and ${path}.takeover-*`,
            ];
    }
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      if (readFileSync(this.path, 'utf8') === this.token) unlinkSync(this.path);
    } catch {
      /* already gone */
    }
  }
}

/**
 * One writer per features folder: a lock file (`<dir>/.lock`) created exclusively, holding the owner's
 * pid and host. A second process is refused with a clear error instead of corrupting the store; a lock
 * left by a process that died on this host (kill -9, crash) is taken over with a notice.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { BioprobeError } from '../util/errors.js';

export const LOCK_NAME = '.lock';

interface LockInfo {
  pid: number;
  host: string;
  started: string;
}

/** True when a process with this pid exists on this host. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockInfo | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
    return typeof v.pid === 'number' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A held lock; `release()` removes the file (only if it is still ours). */
export class DirLock {
  private released = false;
  private constructor(readonly path: string, private readonly token: string) {}

  /**
   * Take the lock of `dir` (which must exist). `notice` receives one line when a stale lock is taken over.
   */
  static acquire(dir: string, notice: (line: string) => void = () => {}): DirLock {
    const path = join(dir, LOCK_NAME);
    const info: LockInfo = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
    const token = JSON.stringify(info);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, token);
        closeSync(fd);
        return new DirLock(path, token);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const held = readLock(path);
      if (held && held.host === info.host && !alive(held.pid)) {
        notice(`taking over a stale lock of ${dir} left by pid ${held.pid} (no longer running)`);
        try { unlinkSync(path); } catch { /* another process took it first: retry */ }
        continue;
      }
      if (held === undefined && attempt === 0) {
        // The owner may be between creating and writing the file: look once more.
        continue;
      }
      const who = held ? `pid ${held.pid} on ${held.host} since ${held.started}` : 'an unknown process';
      throw new BioprobeError('features', 'locked', `another bioprobe process (${who}) is writing this features folder`, {
        file: dir,
        hint: held && held.host !== info.host
          ? `if that process is gone, delete ${path}`
          : 'wait for it to finish, or use another --out',
      });
    }
    throw new BioprobeError('features', 'locked', 'could not take the lock of this features folder', { file: dir, hint: `delete ${path} if no bioprobe process is running` });
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      if (readFileSync(this.path, 'utf8') === this.token) unlinkSync(this.path);
    } catch { /* already gone */ }
  }
}

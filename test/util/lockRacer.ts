/**
 * A process for the lock race test (lock.test.ts): commands arrive on stdin as JSON lines.
 * `{"go": dir, "at": ms, "noLink": bool}`: wait until the clock reads `at` (all racers start together),
 * try to take the lock of `dir` (with `noLink`, as on a file system without hard links), answer
 * `{"won": true}` (and keep it) or `{"won": false, "code", "message"}`.
 * `{"release": true}`: release a held lock, answer `{"released": true}`.
 */
import { createInterface } from 'node:readline';
import { DirLock } from '../../lib/util/lock.js';
import { BioprobeError } from '../../lib/util/errors.js';

let held: DirLock | undefined;
const say = (v: unknown) => process.stdout.write(JSON.stringify(v) + '\n');
createInterface({ input: process.stdin }).on('line', (line) => {
  const cmd = JSON.parse(line) as { go?: string; at?: number; noLink?: boolean; release?: boolean };
  if (cmd.go !== undefined) {
    process.env.BIOPROBE_TEST_NO_LINK = cmd.noLink ? '1' : '0';
    while (Date.now() < cmd.at!) {
      /* spin: start together */
    }
    try {
      held = DirLock.acquire(cmd.go, { kind: 'features', what: 'test folder' });
      say({ won: true });
    } catch (err) {
      say({ won: false, code: err instanceof BioprobeError ? err.code : 'other', message: (err as Error).message });
    }
  } else if (cmd.release) {
    held?.release();
    held = undefined;
    say({ released: true });
  }
});
say({ ready: process.pid });

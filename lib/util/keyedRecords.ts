/**
 * A folder of small JSON records kept for one run key (resumable work: the probe's `.partial/`, label
 * efficiency's `.points/`): `key.json` names the key; the records are read back only when it matches,
 * otherwise the folder is emptied and takes the new key. A record cut short by an interruption is
 * skipped (its work is done again).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from './atomic.js';

/** The records (files matching `pattern`) of `dir` when its key is `key`; else [] and `dir` emptied for `key`. */
export function openKeyedRecords<T>(dir: string, key: string, pattern: RegExp): T[] {
  const keyFile = join(dir, 'key.json');
  let same = false;
  try {
    same = existsSync(keyFile) && (JSON.parse(readFileSync(keyFile, 'utf8')) as { key?: string }).key === key;
  } catch {
    same = false;
  }
  if (!same) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeJsonAtomic(keyFile, { key });
    return [];
  }
  const records: T[] = [];
  for (const f of readdirSync(dir).filter((n) => pattern.test(n))) {
    try {
      records.push(JSON.parse(readFileSync(join(dir, f), 'utf8')) as T);
    } catch {
      // cut short by an interruption: that piece of work is done again
    }
  }
  return records;
}

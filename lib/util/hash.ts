/**
 * Canonical JSON and sha256, the one home for content hashing: stage keys (experiment/), store
 * identities (features/), model fingerprints and cache folder names (models/).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeJsonAtomic } from './atomic.js';

/** JSON with object keys sorted and undefined fields left out, so equal settings serialise (and hash) equally. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return v === undefined ? 'null' : JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .filter((k) => o[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

/** sha256 (hex) of a string or bytes. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 (hex) of the canonical JSON of `parts`. */
export function hashOf(...parts: unknown[]): string {
  return sha256(canonicalJson(parts));
}

/** Hex sha256 of a file's bytes, streamed (model files are hundreds of MB). */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

type Memo = Record<string, { size: number; mtimeMs: number; ino: number; sha256: string }>;

/** sha256 of a file, memoised in `memoFile` by its real path, size, mtime and inode. */
export async function memoSha256File(path: string, memoFile?: string): Promise<string> {
  if (!memoFile) return sha256File(path);
  const real = realpathSync(path);
  const st = statSync(real);
  let memo: Memo = {};
  try {
    if (existsSync(memoFile)) memo = JSON.parse(readFileSync(memoFile, 'utf8')) as Memo;
  } catch {
    memo = {}; // an unreadable memo is rebuilt
  }
  const m = memo[real];
  if (m && m.size === st.size && m.mtimeMs === st.mtimeMs && m.ino === st.ino) return m.sha256;
  const digest = await sha256File(real);
  // re-read before writing: another process may have added entries meanwhile
  try {
    if (existsSync(memoFile)) memo = JSON.parse(readFileSync(memoFile, 'utf8')) as Memo;
  } catch {
    memo = {};
  }
  memo[real] = { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, sha256: digest };
  mkdirSync(dirname(memoFile), { recursive: true });
  writeJsonAtomic(memoFile, memo, 0);
  return digest;
}

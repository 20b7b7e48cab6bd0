/**
 * A checkpoint's identity: the sha256 of every file it is made of (weights, shards and their index, the
 * config), and one sha256 over that list, `sha256sum`-style lines sorted by name. For a single-file
 * Hugging Face checkpoint each file's sha256 is the hub's LFS oid, so it can be compared with what the
 * hub publishes. Hashes are memoised per file by (path, size, mtime, inode) in
 * `<cacheDir>/models/sha256.json`, so that opening a 360 MB checkpoint again does not read it again.
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { Family } from '../../checkpoint/arch.js';
import { openCheckpoint, type Checkpoint } from '../../checkpoint/checkpoint.js';
import { writeJsonAtomic } from '../../util/atomic.js';
import { sha256, sha256File } from '../../util/hash.js';

export interface CheckpointFile {
  /** Path relative to the checkpoint's folder. */
  name: string;
  path: string;
  bytes: number;
  sha256: string;
}

export interface CheckpointFingerprint {
  /** sha256 over the `<sha256>  <name>` lines of every file, sorted by name. */
  sha256: string;
  files: CheckpointFile[];
}

/** Every file a checkpoint was read from: weights (each shard and the index) and config. */
export function checkpointFiles(ckpt: Checkpoint): string[] {
  const files = new Set([ckpt.file, ckpt.configFile]);
  if (ckpt.file.endsWith('.index.json')) {
    const index = JSON.parse(readFileSync(ckpt.file, 'utf8')) as { weight_map?: Record<string, string> };
    for (const f of Object.values(index.weight_map ?? {})) files.add(join(dirname(ckpt.file), f));
  }
  return [...files].filter(Boolean);
}

/** Where per-file sha256 are memoised under a cache root. */
export function sha256Memo(cacheDir: string): string {
  return join(cacheDir, 'models', 'sha256.json');
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

/** The fingerprint of a checkpoint's files (`memoFile`: where per-file hashes are memoised). */
export async function fingerprint(ckpt: Checkpoint, memoFile?: string): Promise<CheckpointFingerprint> {
  const paths = checkpointFiles(ckpt);
  const root = dirname(ckpt.file);
  const files: CheckpointFile[] = [];
  for (const p of paths) {
    const rel = relative(root, p);
    files.push({
      name: rel.startsWith('..') ? basename(p) : rel,
      path: p,
      bytes: statSync(p).size,
      sha256: await memoSha256File(p, memoFile),
    });
  }
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { sha256: sha256(files.map((f) => `${f.sha256}  ${f.name}\n`).join('')), files };
}

/** The fingerprint of the checkpoint at `path` (a folder or weights file), memoised under `cacheDir`. */
export async function fingerprintPath(
  path: string,
  cacheDir: string,
  opts: { config?: string; family?: Family } = {},
): Promise<CheckpointFingerprint> {
  const ckpt = openCheckpoint(path, opts);
  try {
    return await fingerprint(ckpt, sha256Memo(cacheDir));
  } finally {
    ckpt.close();
  }
}

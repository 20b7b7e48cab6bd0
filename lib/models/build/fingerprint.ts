/**
 * A checkpoint's identity: the sha256 of every file it is made of (weights, shards and their index, the
 * config), and one sha256 over that list, `sha256sum`-style lines sorted by name. For a single-file
 * Hugging Face checkpoint each file's sha256 is the hub's LFS oid, so it can be compared with what the
 * hub publishes. Hashes are memoised per file by (path, size, mtime, inode) in
 * `<cacheDir>/models/sha256.json`, so that opening a 360 MB checkpoint again does not read it again.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { Family } from '../../checkpoint/arch.js';
import { openCheckpoint, type Checkpoint } from '../../checkpoint/checkpoint.js';
import { sha256Memo } from '../../util/cache.js';
import { memoSha256File, sha256 } from '../../util/hash.js';

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

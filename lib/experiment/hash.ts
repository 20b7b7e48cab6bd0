/**
 * Content hashes that key the stages of a run: a file's sha256 (models), a dataset's item list
 * (paths, labels, segments and file sizes, in order) and settings as key-sorted JSON.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { Item } from '../datasets/types.js';

/** sha256 of a file's bytes, streamed (model files are hundreds of MB). */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => h.update(chunk))
      .on('error', reject)
      .on('end', () => resolvePromise(h.digest('hex')));
  });
}

/** JSON with object keys sorted and undefined fields left out, so equal settings hash equally. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return v === undefined ? 'null' : JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/** sha256 (hex) of the canonical JSON of `parts`. */
export function hashOf(...parts: unknown[]): string {
  return createHash('sha256').update(canonicalJson(parts)).digest('hex');
}

/**
 * Hash of a dataset's items in order: index, path, label, start, end, group, and each file's size (so a
 * replaced recording changes the key without reading every byte of a large dataset).
 */
export function hashItemList(items: readonly Item[]): string {
  const h = createHash('sha256');
  const sizes = new Map<string, number>();
  for (const it of items) {
    let size = sizes.get(it.path);
    if (size === undefined) {
      try { size = statSync(it.path).size; } catch { size = -1; }
      sizes.set(it.path, size);
    }
    h.update(`${it.index}\t${it.path}\t${it.label}\t${it.start ?? ''}\t${it.end ?? ''}\t${it.group ?? ''}\t${size}\n`);
  }
  return h.digest('hex');
}

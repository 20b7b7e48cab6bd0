/**
 * The content hash of a dataset's item list (paths, labels, segments and file sizes, in order) that
 * keys a run's stages; settings are hashed by util/hash.ts's `hashOf`.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import type { Item } from '../datasets/types.js';

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
      try {
        size = statSync(it.path).size;
      } catch {
        size = -1;
      }
      sizes.set(it.path, size);
    }
    h.update(`${it.index}\t${it.path}\t${it.label}\t${it.start ?? ''}\t${it.end ?? ''}\t${it.group ?? ''}\t${size}\n`);
  }
  return h.digest('hex');
}

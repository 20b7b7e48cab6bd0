/**
 * Atomic file writes: the data go to a temporary name beside the target, then a rename replaces the
 * target, so a reader or a resumed run never sees half a file. The temporary name is unique per call
 * (processes and worker threads may write into the same folder).
 */
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${randomUUID()}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** JSON with `indent` spaces and a final newline, written atomically. */
export function writeJsonAtomic(path: string, value: unknown, indent = 2): void {
  writeFileAtomic(path, JSON.stringify(value, null, indent) + '\n');
}

/** Chunks written one after the other to a temporary file (unique per process and thread), then renamed into place. */
export function writeChunksAtomic(path: string, chunks: readonly Uint8Array[]): void {
  const tmp = `${path}.${randomUUID()}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    for (const c of chunks) writeSync(fd, c);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/**
 * The progress journal of an unfinished store: `progress.jsonl`, one JSON line per finished clip,
 * append-only. A clip's rows are written to the .npy files first; its journal line is appended only
 * after those files were fsynced (in batches), so a journal line always means "rows on disk". After
 * kill -9 (or a power cut) a rerun reads the journal, drops a torn last line, and recomputes only the
 * clips it does not list.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';

/** What the store keeps about a finished clip (also the extension columns of clips.csv). */
export interface ClipRecord {
  /** Item index (row of the full dataset). */
  i: number;
  /** `ok`, or `<code>: <reason>` for a clip that was skipped. */
  status: string;
  /** Duration of the clip (segment) in seconds, as read. */
  duration_s?: number;
  /** Sample rate of the file. */
  sample_rate?: number;
  /** Channels of the file (mixed to mono). */
  channels?: number;
  /** Notes on the clip's preparation (tiled, truncated, nonfinite=N, ...), `;`-separated. */
  flags?: string;
  /** Frames pooled per layer. */
  frames?: number;
  /** Forward passes (chunks) the clip took. */
  chunks?: number;
}

/**
 * Parse journal bytes into `records` (a later line for the same clip wins); returns the byte length of
 * the whole lines read, before a torn or unreadable line (dropped with everything after it).
 */
export function readRecords(bytes: Buffer, records: Map<number, ClipRecord>): number {
  let pos = 0;
  while (pos < bytes.length) {
    const nl = bytes.indexOf(0x0a, pos);
    if (nl < 0) break; // torn last line
    try {
      const rec = JSON.parse(bytes.toString('utf8', pos, nl)) as ClipRecord;
      if (typeof rec.i !== 'number' || typeof rec.status !== 'string') break;
      records.set(rec.i, rec);
    } catch {
      break;
    }
    pos = nl + 1;
  }
  return pos;
}

export class Journal {
  private fd: number;
  private pending: string[] = [];

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /**
   * Open (or create) the journal; returns it and the records already in it. Reading is linear in the
   * file's size (one pass over its bytes; IMV's 73k lines: docs/BENCHMARKS.md).
   */
  static open(path: string): { journal: Journal; records: Map<number, ClipRecord> } {
    const records = new Map<number, ClipRecord>();
    if (existsSync(path)) truncateSync(path, readRecords(readFileSync(path), records));
    const fd = openSync(path, 'a');
    return { journal: new Journal(path, fd), records };
  }

  /** Queue a record; it reaches the file at the next `flush`. */
  add(rec: ClipRecord): void {
    this.pending.push(JSON.stringify(rec) + '\n');
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /**
   * Make the queued records durable: `syncData` first (fsync of the rows they describe), then the
   * lines are appended and the journal itself fsynced.
   */
  flush(syncData: () => void): void {
    if (this.pending.length === 0) return;
    syncData();
    const buf = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    writeSync(this.fd, buf, 0, buf.length, null);
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

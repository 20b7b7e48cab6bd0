/**
 * The features store (INTERFACE.md "Features directory"), written streaming and resumable.
 *
 * Work happens in `<dir>/.partial/`: `state.json` (the store's identity), `layer_XX.npy` preallocated
 * [N, 2D] `<f4` files written row by row as clips finish, and `progress.jsonl` (journal.ts). Memory holds
 * one clip's rows at a time, whatever N is. A rerun after kill -9 resumes from the journal and ends with
 * the same bytes as an uninterrupted run. `finalize()` runs the sanity checks, writes clips.csv, moves the
 * files into `<dir>` and writes `manifest.json` last: a folder with a manifest is a finished store, one
 * without is not. One process at a time (util/lock.ts); a store of another identity is never mixed in.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Item } from '../datasets/types.js';
import { BioprobeError } from '../util/errors.js';
import { NpyRowWriter } from '../util/npy.js';
import { writeClipsCsv } from './clipsCsv.js';
import { assertSameIdentity, identityDiff, identityHash, type StoreIdentity } from './identity.js';
import { type ClipRecord, Journal } from './journal.js';
import { DirLock } from '../util/lock.js';
import { type FeaturesManifest, layerFileName, MANIFEST_NAME, readManifest, summarise } from './manifest.js';
import { writeJsonAtomic } from '../util/atomic.js';
import { checkStore } from './sanity.js';

export const PARTIAL_DIR = '.partial';
const STATE_NAME = 'state.json';
const JOURNAL_NAME = 'progress.jsonl';
export const CLIPS_NAME = 'clips.csv';

export interface StoreOptions {
  /** The features folder. */
  dir: string;
  identity: StoreIdentity;
  /** The items whose rows this store holds, in row order. */
  items: readonly Item[];
  /** Replace a store (finished or not) of another identity in `dir`; one of this identity is kept and resumed. */
  overwrite?: boolean;
  /** Receives one-line notices (stale lock taken over, resume). */
  notice?: (line: string) => void;
  /** Make progress durable every this many clips or milliseconds (default 16 clips / 1000 ms). */
  flushClips?: number;
  flushMs?: number;
}

/** Manifest fields the caller supplies (the store adds format, counts, identity, summary, sanity). */
export type ManifestInput = Pick<FeaturesManifest, 'model' | 'dataset' | 'datasetName' | 'modelInfo' | 'versions' | 'run'>;

/** Store files that only a finished store (or a crashed finalisation) leaves in the folder itself. */
function finishedFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f === MANIFEST_NAME || f === CLIPS_NAME || /^layer_\d+\.npy$/.test(f));
}

export class FeatureStore {
  /** `fresh`: nothing done yet; `resumed`: some clips already done; `complete`: a finished store, nothing to do. */
  readonly state: 'fresh' | 'resumed' | 'complete';
  private readonly partial: string;
  private readonly rowOf = new Map<number, number>();
  private readonly records: Map<number, ClipRecord>;
  private writers: NpyRowWriter[] = [];
  private syncFds: number[] = [];
  private journal?: Journal;
  private lastFlush = Date.now();
  private closed = false;
  private finalising = false;
  private readonly zeros: Float32Array;

  private constructor(
    readonly opts: StoreOptions,
    private readonly lock: DirLock,
  ) {
    const { dir, identity, items } = opts;
    this.partial = join(dir, PARTIAL_DIR);
    this.zeros = new Float32Array(identity.dim);
    items.forEach((it, r) => this.rowOf.set(it.index, r));
    if (opts.overwrite) this.removeOther();
    const finished = readManifest(dir);
    if (finished) {
      assertSameIdentity(dir, finished.identity, identity);
      rmSync(this.partial, { recursive: true, force: true }); // leftover of a finalisation that had committed
      this.records = new Map();
      this.state = 'complete';
      return;
    }
    const statePath = join(this.partial, STATE_NAME);
    if (existsSync(statePath)) {
      const found = JSON.parse(readFileSync(statePath, 'utf8')) as StoreIdentity;
      assertSameIdentity(dir, found, identity);
      const { journal, records } = Journal.open(join(this.partial, JOURNAL_NAME));
      this.journal = journal;
      this.records = records;
      // A finalisation that crashed after moving some .npy files: every clip is done, retry nothing.
      this.finalising =
        records.size === items.length &&
        Array.from({ length: identity.layers }, (_, l) => join(this.partial, layerFileName(l))).some((p) => !existsSync(p));
      if (this.pendingItems().length > 0) this.openWriters(false);
      const ok = [...records.values()].filter((r) => r.status === 'ok').length;
      this.state = ok > 0 ? 'resumed' : 'fresh';
      if (ok > 0) opts.notice?.(`resuming: ${ok} of ${items.length} clips already done`);
      return;
    }
    const stray = finishedFiles(dir);
    if (stray.length > 0) {
      throw new BioprobeError(
        'features',
        'store-unknown',
        `this folder holds ${stray.join(', ')} but no manifest: not a store bioprobe can resume`,
        {
          file: dir,
          hint: 'use --overwrite to replace them, or choose another --out',
        },
      );
    }
    mkdirSync(this.partial, { recursive: true });
    this.openWriters(true);
    const { journal, records } = Journal.open(join(this.partial, JOURNAL_NAME));
    this.journal = journal;
    this.records = records;
    writeJsonAtomic(statePath, identity); // last: a state.json means the npy files exist
    this.state = 'fresh';
  }

  /**
   * `overwrite`: remove a finished store, an unfinished run or stray store files of another identity
   * (or unreadable ones). A store or run of this same identity is kept: it is finished or resumed.
   */
  private removeOther(): void {
    const { dir, identity } = this.opts;
    /** true: of another identity (or unreadable); false: this identity; undefined: absent. */
    const other = (read: () => StoreIdentity | undefined): boolean | undefined => {
      try {
        const id = read();
        return id === undefined ? undefined : identityDiff(id, identity).length > 0;
      } catch {
        return true;
      }
    };
    const removeFinished = () => {
      for (const f of finishedFiles(dir)) rmSync(join(dir, f), { force: true });
    };
    const removePartial = () => rmSync(this.partial, { recursive: true, force: true });
    const statePath = join(this.partial, STATE_NAME);
    const finished = existsSync(join(dir, MANIFEST_NAME)) ? other(() => readManifest(dir)?.identity) : undefined;
    if (finished !== undefined) {
      if (finished) {
        removeFinished();
        removePartial();
      }
      return;
    }
    const partial = existsSync(statePath) ? other(() => JSON.parse(readFileSync(statePath, 'utf8')) as StoreIdentity) : undefined;
    if (partial !== false) {
      removePartial();
      removeFinished(); // stray files beside no usable run
    }
  }

  /** Open the store in `dir` for this identity (creating, resuming, or finding it complete). */
  static open(opts: StoreOptions): FeatureStore {
    mkdirSync(opts.dir, { recursive: true });
    const lock = DirLock.acquire(opts.dir, { kind: 'features', what: 'features folder', notice: opts.notice });
    try {
      return new FeatureStore(opts, lock);
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  private layerPath(l: number): string {
    const p = join(this.partial, layerFileName(l));
    return existsSync(p) ? p : join(this.opts.dir, layerFileName(l));
  }

  private openWriters(create: boolean): void {
    const { layers, dim } = this.opts.identity;
    const n = this.opts.items.length;
    for (let l = 0; l < layers; l++) {
      const path = join(this.partial, layerFileName(l));
      if (!create && !existsSync(path)) {
        throw new BioprobeError('features', 'store-damaged', `unfinished store lost ${layerFileName(l)}`, {
          file: this.opts.dir,
          hint: 'use --overwrite to start again',
        });
      }
      this.writers.push(new NpyRowWriter(path, n, dim, { create }));
      this.syncFds.push(openSync(path, 'r')); // fsync through any descriptor flushes the file's pages
    }
  }

  /**
   * Items still to compute, in row order. Clips an unfinished run skipped are tried again (a file may
   * have been restored meanwhile; an unchanged file fails the same way, so the store's bytes are the same).
   */
  pendingItems(): Item[] {
    if (this.state === 'complete') return [];
    if (this.finalising) return this.opts.items.filter((it) => !this.records.has(it.index));
    return this.opts.items.filter((it) => this.records.get(it.index)?.status !== 'ok');
  }

  /** Records of the clips already done (from the journal or this run). */
  get done(): ReadonlyMap<number, ClipRecord> {
    return this.records;
  }

  /**
   * Store clip `index`: `rows[l]` = its 2D values of layer l, or null for a skipped clip (zeros are
   * written). Rows must be finite.
   */
  writeClip(index: number, rows: readonly Float32Array[] | null, rec: ClipRecord): void {
    const r = this.rowOf.get(index);
    if (r === undefined) throw new BioprobeError('features', 'store-row', `item ${index} is not part of this store`);
    if (this.state === 'complete' || !this.journal)
      throw new BioprobeError('features', 'store-closed', 'the store is complete; nothing to write');
    const { layers, dim } = this.opts.identity;
    if (rows && rows.length !== layers)
      throw new BioprobeError('features', 'store-layers', `clip ${index} has ${rows.length} layers, the store ${layers}`);
    for (let l = 0; l < layers; l++) {
      const row = rows ? rows[l] : this.zeros;
      if (row.length !== dim)
        throw new BioprobeError('features', 'store-width', `clip ${index} layer ${l} has ${row.length} values, the store ${dim}`);
      for (let d = 0; d < dim; d++) {
        if (!Number.isFinite(row[d]))
          throw new BioprobeError('features', 'store-nonfinite', `clip ${index} layer ${l} holds a non-finite value`);
      }
      this.writers[l].writeRow(r, row);
    }
    this.records.set(index, rec);
    this.journal.add(rec);
    const now = Date.now();
    if (this.journal.pendingCount >= (this.opts.flushClips ?? 16) || now - this.lastFlush >= (this.opts.flushMs ?? 1000)) this.flush();
  }

  /** Make every written clip durable (rows fsynced, then journal lines). */
  flush(): void {
    this.journal?.flush(() => {
      for (const fd of this.syncFds) fsyncSync(fd);
    });
    this.lastFlush = Date.now();
  }

  /**
   * Finish the store: sanity checks, clips.csv, files moved into the folder, manifest.json last.
   * Every item must be done. Returns the manifest (for a complete store, the one on disk).
   */
  finalize(input: ManifestInput, opts: { expectedDim?: number } = {}): FeaturesManifest {
    const { dir, identity, items } = this.opts;
    if (this.state === 'complete') {
      this.close();
      return readManifest(dir)!;
    }
    const missing = items.length - this.records.size;
    if (missing > 0) throw new BioprobeError('features', 'store-incomplete', `${missing} clips are not done yet`, { file: dir });
    this.flush();
    this.closeFiles();
    const files = Array.from({ length: identity.layers }, (_, l) => this.layerPath(l));
    const status = (r: number) => this.records.get(items[r].index)!.status;
    const sanity = checkStore(files, items.length, identity.dim, (r) => status(r) === 'ok', {
      expectedDim: opts.expectedDim,
      rowIndex: (r) => items[r].index,
    });
    const manifest: FeaturesManifest = {
      format: identity.format,
      model: input.model,
      dataset: input.dataset,
      datasetName: input.datasetName,
      layers: identity.layers,
      dim: identity.dim,
      count: items.length,
      layer0: identity.layer0,
      modelInfo: input.modelInfo,
      preprocessing: identity.preprocessing,
      device: identity.device,
      shard: identity.shard,
      identity,
      identityHash: identityHash(identity),
      versions: input.versions,
      summary: summarise(items.map((_, r) => status(r))),
      sanity,
      run: input.run,
      created: new Date().toISOString(),
    };
    writeClipsCsv(join(this.partial, CLIPS_NAME), items, (i) => this.records.get(i)!);
    for (let l = 0; l < identity.layers; l++) {
      const p = join(this.partial, layerFileName(l));
      if (existsSync(p)) renameSync(p, join(dir, layerFileName(l)));
    }
    renameSync(join(this.partial, CLIPS_NAME), join(dir, CLIPS_NAME));
    writeJsonAtomic(join(dir, MANIFEST_NAME), manifest);
    rmSync(this.partial, { recursive: true, force: true });
    this.close();
    return manifest;
  }

  private closeFiles(): void {
    for (const w of this.writers) w.close();
    for (const fd of this.syncFds) closeSync(fd);
    this.writers = [];
    this.syncFds = [];
    this.journal?.close();
    this.journal = undefined;
  }

  /** Stop without finishing: progress so far is made durable, the lock released. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
      this.closeFiles();
    } finally {
      this.lock.release();
    }
  }
}

/**
 * Resuming an interrupted `bioprobe probe`: every finished (stack, seed) leaves a record in
 * `<out>/.partial/` (its result rows, history rows, test predictions and val UARs; its prediction and
 * confusion files are already written). A later run into the same folder with the same inputs (same
 * run key: probeRunKey) skips what is recorded; a run with another key starts afresh. The folder is
 * removed once results.csv and the other files are written.
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SplitName } from '../datasets/split.js';
import { layerPath, type FeatureSet } from './features.js';
import type { Protocol } from './protocol.js';
import type { HistoryRow, ResultRow } from '../results/rows.js';
import type { Device as ProbeDevice } from '../runtime/device.js';
import { hashOf, sha256 } from '../util/hash.js';
import { writeJsonAtomic } from '../util/atomic.js';
import { openKeyedRecords } from '../util/keyedRecords.js';

export const PARTIAL_DIR = '.partial';

/** What one finished (stack, seed) contributes to the run's files. */
export interface SeedRecord {
  task: number;
  seedIndex: number;
  seed: number;
  layers: number[];
  rows: ResultRow[];
  history: HistoryRow[];
  /** Test predictions (class ids) per layer of the stack. */
  testPreds: number[][];
  valUars: number[];
}

/** Everything that decides a probe run's numbers: a resumed run must agree on all of it. */
export interface RunKeyInputs {
  /** The features: folder, manifest, clips.csv (labels, statuses) and the used layer files (size, mtime). */
  features: FeatureSet;
  /** Split name per clip of clips.csv. */
  split: readonly SplitName[];
  /** The class list (the posteriors' columns). */
  classes: readonly string[];
  layers: readonly number[];
  /** The stacking (a probe's numbers depend on the stack it trained in; docs/PROTOCOL.md). */
  stacks: readonly number[][];
  seeds: readonly number[];
  /** Epochs, batch, lr, scheduler, early stopping, `select`. */
  protocol: Protocol;
  device: ProbeDevice;
  /** Intra-op threads of the probe sessions (pinned: engine.ts SESSION_THREADS). */
  sessionThreads: number;
  /** bioprobe and onnxruntime versions and the results format (code that computes the numbers). */
  versions: Record<string, string>;
}

/** A short hash of a run's inputs (RunKeyInputs). */
export function probeRunKey(i: RunKeyInputs): string {
  const fs = i.features;
  const layerFiles = i.layers.map((l) => {
    const st = statSync(layerPath(fs, l));
    return [l, st.size, st.mtimeMs];
  });
  return hashOf({
    features: resolve(fs.dir),
    manifest: fs.manifest,
    clipsCsv: sha256(readFileSync(join(fs.dir, 'clips.csv'))),
    layerFiles,
    split: sha256(i.split.join(',')),
    classes: i.classes,
    layers: i.layers,
    stacks: i.stacks,
    seeds: i.seeds,
    protocol: i.protocol,
    device: i.device,
    sessionThreads: i.sessionThreads,
    versions: i.versions,
  }).slice(0, 16);
}

export class Checkpoint {
  private constructor(
    private readonly dir: string,
    private readonly records: Map<string, SeedRecord>,
  ) {}

  /** Open `<out>/.partial` for `key`: its records when the key matches, else an emptied folder. */
  static open(out: string, key: string): Checkpoint {
    const dir = join(out, PARTIAL_DIR);
    const records = new Map<string, SeedRecord>();
    for (const r of openKeyedRecords<SeedRecord>(dir, key, /^stack_\d+\.seed_\d+\.json$/))
      records.set(Checkpoint.id(r.task, r.seedIndex), r);
    return new Checkpoint(dir, records);
  }

  private static id(task: number, seedIndex: number): string {
    return `${task}/${seedIndex}`;
  }

  get size(): number {
    return this.records.size;
  }

  get(task: number, seedIndex: number): SeedRecord | undefined {
    return this.records.get(Checkpoint.id(task, seedIndex));
  }

  /** Record a finished (stack, seed), atomically (a torn record is never read back). */
  save(r: SeedRecord): void {
    writeJsonAtomic(join(this.dir, `stack_${r.task}.seed_${r.seedIndex}.json`), r, 0);
    this.records.set(Checkpoint.id(r.task, r.seedIndex), r);
  }

  /** The run is complete: drop the records. */
  finish(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

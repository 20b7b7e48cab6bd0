/**
 * Label efficiency's points: training one (shots, seed) probe on its subset, and the record of points
 * already trained. A point's probe is the paper's MLP under the protocol (probe/trainer.ts trainStack,
 * one probe per graph, SESSION_THREADS), on the subset's rows of the layer's standardised train block;
 * the validation and test blocks are the whole splits, shared by every point. Standardisation uses the
 * whole train split's statistics (labels are not needed for them; docs/PROTOCOL.md), so val and test
 * rows are the same numbers at every point.
 *
 * Records: `<out>/.points/` holds one small JSON per finished point under a key of everything that
 * decides its numbers (probe/checkpoint.ts probeRunKey: features, split, classes, layer, protocol,
 * device, versions); a rerun with the same key trains only the points it lacks, another key starts
 * afresh. The records stay after the run (a few hundred bytes each), so an identical rerun trains nothing.
 */
import { join } from 'node:path';
import { writeJsonAtomic } from '../util/atomic.js';
import { openKeyedRecords } from '../util/keyedRecords.js';
import type { Device } from '../runtime/device.js';
import type { Protocol } from '../probe/index.js';
import { trainStack, type StackData } from '../probe/trainer.js';
import type { Shot } from './labelEfficiencySubsets.js';

export const POINTS_DIR = '.points';

/** What a point contributes to label_efficiency.csv besides model, dataset and layer. */
export interface PointRecord {
  shots: Shot;
  seed: number;
  train_clips: number;
  val_uar: number;
  test_uar: number;
  epochs: number;
}

/**
 * Train one point: rows `subset` (clip indices, ascending) of the layer's stack `full` (L = 1, loaded
 * and standardised by probe/data.ts loadStack over the partition whose train clips are `train`).
 */
export async function trainPoint(
  full: StackData,
  train: Int32Array,
  subset: Int32Array,
  shots: Shot,
  seed: number,
  protocol: Protocol,
  device?: Device,
): Promise<PointRecord> {
  const D = full.D;
  const rowOf = new Map<number, number>();
  train.forEach((c, r) => rowOf.set(c, r));
  const X = new Float32Array(subset.length * D);
  const y = new Int32Array(subset.length);
  subset.forEach((c, i) => {
    const r = rowOf.get(c)!;
    X.set(full.train.X.subarray(r * D, (r + 1) * D), i * D);
    y[i] = full.train.y[r];
  });
  const data: StackData = { L: 1, D, C: full.C, train: { X, y }, val: full.val, test: full.test };
  const [oc] = await trainStack(data, { seed, protocol, device });
  return { shots, seed, train_clips: subset.length, val_uar: oc.val.uar, test_uar: oc.test.uar, epochs: oc.epochs };
}

/** The records of finished points in `<out>/.points`, for one key. */
export class PointStore {
  private constructor(
    private readonly dir: string,
    private readonly records: Map<string, PointRecord>,
  ) {}

  static open(out: string, key: string): PointStore {
    const dir = join(out, POINTS_DIR);
    const records = new Map<string, PointRecord>();
    for (const r of openKeyedRecords<PointRecord>(dir, key, /^shots_\w+\.seed_\d+\.json$/)) records.set(PointStore.id(r.shots, r.seed), r);
    return new PointStore(dir, records);
  }

  private static id(shots: Shot, seed: number): string {
    return `${shots}/${seed}`;
  }

  get(shots: Shot, seed: number): PointRecord | undefined {
    return this.records.get(PointStore.id(shots, seed));
  }

  /** Record a finished point, atomically. */
  save(r: PointRecord): void {
    writeJsonAtomic(join(this.dir, `shots_${r.shots}.seed_${r.seed}.json`), r, 0);
    this.records.set(PointStore.id(r.shots, r.seed), r);
  }
}

/**
 * Sharded extraction: `--shard i/n` computes the items whose index % n == i into its own sub-store
 * `<out>/.shards/<i>-of-<n>/` (own lock and journal, so shards on different machines never touch the
 * same file), and `mergeShards(out)` assembles the finished shards into the ordinary store in `<out>`,
 * byte-identical to an unsharded run. A shard's identity is the whole run's identity plus its shard, so
 * shards of different models, datasets or settings cannot be merged.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readClassesFile, writeClassesFile } from '../datasets/classes.js';
import { BioprobeError, UsageError } from '../util/errors.js';
import { readNpyRows } from '../util/npy.js';
import { readClipsCsv } from './clipsCsv.js';
import type { Shard } from './identity.js';
import { identityDiff } from './identity.js';
import { type FeaturesManifest, layerFileName, readManifest } from './manifest.js';
import { CLIPS_NAME, FeatureStore } from './store.js';

export const SHARDS_DIR = '.shards';

/** Parse `i/n` (0 <= i < n); `name` is what messages call the setting (the CLI passes its flag). */
export function parseShard(s: string, name = 'shard'): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count)
    throw new UsageError(`${name} must be i/n with 0 <= i < n, got "${s}"`, { hint: 'e.g. 0/4 ... 3/4 for four shards' });
  return { index, count };
}

/** The sub-store folder of a shard. */
export function shardDir(out: string, shard: Shard): string {
  return join(out, SHARDS_DIR, `${shard.index}-of-${shard.count}`);
}

/** Whether item `index` belongs to `shard`. */
export function inShard(index: number, shard: Shard | null): boolean {
  return !shard || index % shard.count === shard.index;
}

/** Finished shard manifests under `<out>/.shards`, checked to be one complete, consistent set. */
function finishedShards(out: string): FeaturesManifest[] {
  const root = join(out, SHARDS_DIR);
  const names = existsSync(root) ? readdirSync(root).filter((f) => /^\d+-of-\d+$/.test(f)) : [];
  if (names.length === 0)
    throw new UsageError(`no shards to merge in ${root}`, { hint: 'run bioprobe extract --shard i/n --out <dir> for every i first' });
  const counts = new Set(names.map((f) => Number(f.split('-of-')[1])));
  if (counts.size !== 1)
    throw new BioprobeError('features', 'shards-mixed', `shards of different counts in ${root}: ${names.join(', ')}`, { file: root });
  const n = [...counts][0];
  const manifests: FeaturesManifest[] = [];
  const unfinished: number[] = [];
  for (let i = 0; i < n; i++) {
    const m = existsSync(shardDir(out, { index: i, count: n })) ? readManifest(shardDir(out, { index: i, count: n })) : undefined;
    if (!m) unfinished.push(i);
    else manifests.push(m);
  }
  if (unfinished.length) {
    throw new BioprobeError('features', 'shards-unfinished', `shard(s) ${unfinished.join(', ')} of ${n} are not finished`, {
      file: root,
      hint: `run bioprobe extract --shard <i>/${n} for them (a rerun resumes)`,
    });
  }
  for (const m of manifests.slice(1)) {
    const diff = identityDiff({ ...m.identity, shard: null }, { ...manifests[0].identity, shard: null });
    if (diff.length)
      throw new BioprobeError('features', 'shards-mixed', `shard ${m.shard?.index} differs from shard 0 in ${diff.join(', ')}`, {
        file: root,
      });
  }
  return manifests;
}

/**
 * Assemble `<out>/.shards/*-of-n` into the store in `<out>` (streamed, locked, finalised like any
 * store), then remove the shards. Returns the merged manifest.
 */
export function mergeShards(out: string, opts: { overwrite?: boolean; notice?: (line: string) => void } = {}): FeaturesManifest {
  const shards = finishedShards(out);
  const n = shards.length;
  const dirs = shards.map((m) => shardDir(out, m.shard!));
  const rows = dirs.map((d) => readClipsCsv(join(d, CLIPS_NAME)));
  const all = rows.flat().sort((a, b) => a.item.index - b.item.index);
  const identity = { ...shards[0].identity, shard: null };
  if (all.length !== identity.count || all.some((r, k) => r.item.index !== k)) {
    throw new BioprobeError('features', 'shards-rows', `the shards hold ${all.length} clips, expected items 0..${identity.count - 1}`, {
      file: join(out, SHARDS_DIR),
    });
  }
  const store = FeatureStore.open({ dir: out, identity, items: all.map((r) => r.item), overwrite: opts.overwrite, notice: opts.notice });
  try {
    const { layers, dim } = identity;
    const block = 256;
    const maxLocal = Math.max(...rows.map((r) => r.length));
    for (let r0 = 0; store.state !== 'complete' && r0 < maxLocal; r0 += block) {
      const r1 = r0 + block;
      for (let s = 0; s < n; s++) {
        if (r0 >= rows[s].length) continue;
        const data = Array.from(
          { length: layers },
          (_, l) => readNpyRows(join(dirs[s], layerFileName(l)), r0, Math.min(r1, rows[s].length)).data,
        );
        for (let r = r0; r < Math.min(r1, rows[s].length); r++) {
          const { record } = rows[s][r];
          if (store.done.has(record.i)) continue;
          const off = (r - r0) * dim;
          store.writeClip(record.i, record.status === 'ok' ? data.map((d) => d.subarray(off, off + dim)) : null, record);
        }
      }
    }
    const first = shards[0];
    const classes = readClassesFile(dirs[0]); // every shard wrote the dataset's class map
    if (classes) writeClassesFile(out, classes);
    const manifest = store.finalize(
      {
        model: first.model,
        dataset: first.dataset,
        datasetName: first.datasetName,
        modelInfo: first.modelInfo,
        versions: first.versions,
        run: { mergedShards: n, shards: shards.map((m) => m.run) },
      },
      { expectedDim: first.sanity.width.expected ?? undefined },
    );
    rmSync(join(out, SHARDS_DIR), { recursive: true, force: true });
    return manifest;
  } finally {
    store.close();
  }
}

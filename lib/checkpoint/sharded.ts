/**
 * Sharded Hugging Face repos: `model.safetensors.index.json` (or `pytorch_model.bin.index.json`) maps each
 * tensor to a shard file. The shards are opened once each and their tensors joined into one source; a
 * tensor the index names but its shard lacks (or a shard tensor the index does not list) is an error.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CheckpointError } from '../util/errors.js';
import type { TensorSource } from './tensors.js';
import { TensorTable } from './tensors.js';

/** Join shard sources as the index says. `openShard` opens one shard file (safetensors or torch). */
export function openSharded(indexFile: string, openShard: (file: string) => TensorSource): TensorTable {
  let index: { weight_map?: unknown };
  try {
    index = JSON.parse(readFileSync(indexFile, 'utf8'));
  } catch (e) {
    throw new CheckpointError('shard-index', `unreadable shard index: ${(e as Error).message}`, { file: indexFile });
  }
  const map = index.weight_map;
  if (
    typeof map !== 'object' ||
    map === null ||
    Object.values(map).some((v) => typeof v !== 'string' || v.includes('/') || v.includes('\\'))
  ) {
    throw new CheckpointError('shard-index', 'weight_map is missing or names files outside the folder', { file: indexFile });
  }
  const byFile = new Map<string, string[]>();
  for (const [name, f] of Object.entries(map as Record<string, string>)) byFile.set(f, [...(byFile.get(f) ?? []), name]);
  const shards: TensorSource[] = [];
  const table = new TensorTable(() => shards.forEach((s) => s.close()));
  try {
    for (const [f, names] of byFile) {
      const path = join(dirname(indexFile), f);
      const shard = openShard(path);
      shards.push(shard);
      const listed = new Set(names);
      const missing = names.filter((n) => !shard.has(n));
      const extra = shard.names().filter((n) => !listed.has(n));
      if (missing.length)
        throw new CheckpointError(
          'shard-missing',
          `shard lacks ${missing.length} tensor(s) the index puts there: ${missing.slice(0, 5).join(', ')}`,
          { file: path },
        );
      if (extra.length)
        throw new CheckpointError(
          'shard-unlisted',
          `shard holds ${extra.length} tensor(s) the index does not list: ${extra.slice(0, 5).join(', ')}`,
          { file: path },
        );
      for (const n of shard.names()) table.add(shard.info(n), () => shard.bytes(n));
    }
  } catch (e) {
    table.close();
    throw e;
  }
  return table;
}

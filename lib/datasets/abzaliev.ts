/**
 * `abzaliev:<root>`: the Mescalina bark set as the paper used it: `<root>/data/<Dog>_<suffix>/<calltype>/<name>.wav`;
 * label = calltype folder name; individual = dog folder name before the first `_`, lower-cased, used as
 * the group; calltype folder `S` (non-dog sounds) dropped. The paper's code globbed unsorted: bioprobe
 * sorts full paths (code-unit order) so the item order, and thus the split, is reproducible. The `.wav`
 * extension is matched case-insensitively (the paper's glob matched lower-case only).
 */
import { join, resolve } from 'node:path';
import { DatasetError } from '../util/errors.js';
import { byCodeUnits, sortedEntries } from './paths.js';
import type { Dataset, Item } from './types.js';

/** Calltype folders the paper drops. */
export const ABZALIEV_DROPPED_CALLTYPES: readonly string[] = ['S'];

export function loadAbzalievDataset(rootDir: string, spec = `abzaliev:${rootDir}`): Dataset {
  const root = resolve(rootDir);
  const dataDir = join(root, 'data');
  const found: { path: string; label: string; group: string }[] = [];
  for (const dog of sortedEntries(dataDir)) {
    if (!dog.isDir || dog.name.startsWith('.')) continue;
    const individual = dog.name.split('_')[0].toLowerCase();
    for (const ct of sortedEntries(join(dataDir, dog.name))) {
      if (!ct.isDir || ct.name.startsWith('.') || ABZALIEV_DROPPED_CALLTYPES.includes(ct.name)) continue;
      for (const f of sortedEntries(join(dataDir, dog.name, ct.name))) {
        if (f.isFile && f.name.toLowerCase().endsWith('.wav')) {
          found.push({ path: join(dataDir, dog.name, ct.name, f.name), label: ct.name, group: individual });
        }
      }
    }
  }
  if (found.length === 0) {
    throw new DatasetError('abzaliev-empty', 'no .wav files found', { file: dataDir, hint: 'the Abzaliev layout is <root>/data/<Dog>_<suffix>/<calltype>/<name>.wav' });
  }
  found.sort((a, b) => byCodeUnits(a.path, b.path));
  const items: Item[] = found.map((f, index) => ({ index, ...f }));
  return { spec, name: 'abzaliev', root: dataDir, items };
}

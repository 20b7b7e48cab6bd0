/**
 * `abzaliev:<root>`: the Mescalina bark set as the paper's code (src/data/abzaliev/abzalievdataset.py)
 * read it: its glob `<root>/data/<dog>/<calltype>/<name>.wav` (lower-case `.wav`); label = call-type
 * folder name; individual = dog folder name before the first `_`, lower-cased, used as the group; call
 * type `S` (non-dog sounds) dropped. Each item
 * is its whole file, written as the paper's [0, frames / rate] span (fileSpan.ts).
 *
 * Class map: the paper's 14 call types (paperClasses.ts), `S` included: the probe keeps its output.
 * Where bioprobe differs: the glob's order is the file system's (not reproducible), bioprobe sorts full
 * paths (code units). Files the glob would not match (`.WAV` in another letter case) and call-type folders
 * outside the paper's map (its code could not have run on them) are skipped with their reason.
 */
import { join, resolve } from 'node:path';
import { DatasetError } from '../util/errors.js';
import { paperFileSpan } from './fileSpan.js';
import { ABZALIEV_CLASSES } from './paperClasses.js';
import { byCodeUnits, sortedEntries } from './paths.js';
import type { Dataset, Item, SkippedRow } from './types.js';

/** Calltype folders the paper drops. */
export const ABZALIEV_DROPPED_CALLTYPES: readonly string[] = ['S'];

export function loadAbzalievDataset(rootDir: string, spec = `abzaliev:${rootDir}`): Dataset {
  const root = resolve(rootDir);
  const dataDir = join(root, 'data');
  const found: { path: string; label: string; group: string }[] = [];
  const skipped: SkippedRow[] = [];
  let droppedS = 0;
  const known = new Set(ABZALIEV_CLASSES);
  for (const dog of sortedEntries(dataDir)) {
    if (!dog.isDir || dog.name.startsWith('.')) continue;
    const individual = dog.name.split('_')[0].toLowerCase();
    for (const ct of sortedEntries(join(dataDir, dog.name))) {
      if (!ct.isDir || ct.name.startsWith('.')) continue;
      for (const f of sortedEntries(join(dataDir, dog.name, ct.name))) {
        if (!f.isFile || f.name.startsWith('.') || !f.name.toLowerCase().endsWith('.wav')) continue;
        const path = join(dataDir, dog.name, ct.name, f.name);
        if (!f.name.endsWith('.wav')) {
          skipped.push({ file: path, line: 0, reason: "extension is not lower-case .wav (the paper's glob *.wav did not match it)" });
          continue;
        }
        if (ABZALIEV_DROPPED_CALLTYPES.includes(ct.name)) {
          droppedS++;
          continue;
        }
        if (!known.has(ct.name)) {
          skipped.push({ file: path, line: 0, reason: `call-type folder "${ct.name}" is not one of the paper's 14` });
          continue;
        }
        found.push({ path, label: ct.name, group: individual });
      }
    }
  }
  if (found.length === 0) {
    throw new DatasetError('abzaliev-empty', 'no .wav files found', {
      file: dataDir,
      hint: 'the Abzaliev layout is <root>/data/<Dog>_<suffix>/<calltype>/<name>.wav',
    });
  }
  found.sort((a, b) => byCodeUnits(a.path, b.path));
  const items: Item[] = found.map((f, index) => ({ index, path: f.path, label: f.label, ...paperFileSpan(f.path), group: f.group }));
  const notes = [`dropped ${droppedS} files of call type S (non-dog sounds)`];
  if (skipped.length) notes.push(`skipped ${skipped.length} files (first: ${skipped[0].file}, ${skipped[0].reason})`);
  return { spec, name: 'abzaliev', root: dataDir, items, notes, skipped, classes: [...ABZALIEV_CLASSES], chunkLongClips: false };
}

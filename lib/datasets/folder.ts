/**
 * `folder:<dir>`: one sub-folder per class (its name is the label); every audio file below it, at any
 * depth, is an item; items in sorted path order over the whole tree. Files directly in <dir> are ignored.
 */
import { basename, join, resolve } from 'node:path';
import { DatasetError } from '../util/errors.js';
import { byCodeUnits, listAudioFiles, sortedEntries } from './paths.js';
import type { Dataset, Item } from './types.js';

export function loadFolderDataset(dir: string, spec = `folder:${dir}`): Dataset {
  const root = resolve(dir);
  const found: { path: string; label: string }[] = [];
  for (const e of sortedEntries(root)) {
    if (!e.isDir || e.name.startsWith('.')) continue;
    for (const path of listAudioFiles(join(root, e.name))) found.push({ path, label: e.name });
  }
  if (found.length === 0) {
    throw new DatasetError('folder-empty', 'no audio files in class sub-folders', {
      file: root,
      hint: 'expected <dir>/<class>/<file>.wav (or .flac/.mp3/.ogg)',
    });
  }
  found.sort((a, b) => byCodeUnits(a.path, b.path));
  const items: Item[] = found.map((f, index) => ({ index, path: f.path, label: f.label }));
  return { spec, name: basename(root), root, items };
}

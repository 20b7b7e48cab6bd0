/**
 * `watkins:<root>`: the BEANS copy of Watkins "best of", as the paper's code (src/data/watkins/
 * watkinsdataset.py) read it: `<root>/data/annotations.csv` with columns `path,species`; paths relative to
 * `<root>/data/` (and confined to it); label = species; items in file order. Each item is its whole file,
 * written as the paper's [0, frames / rate] span (fileSpan.ts). Class map: the paper's 32 species in its
 * order (paperClasses.ts). A row with an empty path or species, or a species outside the paper's map
 * (the paper's code could not have run on it), is skipped with its reason.
 */
import { join, resolve } from 'node:path';
import { DatasetError } from '../util/errors.js';
import { readCsvTable, requireColumns } from '../util/csv.js';
import { paperFileSpan } from './fileSpan.js';
import { WATKINS_CLASSES } from './paperClasses.js';
import { resolveInside } from './paths.js';
import type { Dataset, Item, SkippedRow } from './types.js';

export function loadWatkinsDataset(rootDir: string, spec = `watkins:${rootDir}`): Dataset {
  const root = resolve(rootDir);
  const dataDir = join(root, 'data');
  const file = join(dataDir, 'annotations.csv');
  const table = readCsvTable(file, { kind: 'dataset', skipMalformedRows: true });
  requireColumns(table, ['path', 'species'], 'the Watkins layout is <root>/data/annotations.csv with columns path,species');
  if (table.rows.length === 0) throw new DatasetError('csv-empty', 'annotations.csv has no rows', { file });
  const skipped: SkippedRow[] = table.skipped.map((s) => ({ file, ...s }));
  const known = new Set(WATKINS_CLASSES);
  const items: Item[] = [];
  for (const row of table.rows) {
    const species = row.cells.species;
    const reason =
      row.cells.path === ''
        ? 'path is empty'
        : species === ''
          ? 'species is empty'
          : !known.has(species)
            ? `species "${species}" is not one of the paper's 32`
            : undefined;
    if (reason) {
      skipped.push({ file, line: row.line, reason });
      continue;
    }
    const path = resolveInside(dataDir, row.cells.path, { file, line: row.line });
    items.push({ index: items.length, path, label: species, ...paperFileSpan(path) });
  }
  if (items.length === 0)
    throw new DatasetError(
      'watkins-empty',
      `no usable rows (${skipped.length} skipped, first: line ${skipped[0]?.line}: ${skipped[0]?.reason})`,
      { file },
    );
  const notes = skipped.length ? [`skipped ${skipped.length} rows (first: line ${skipped[0].line}, ${skipped[0].reason})`] : [];
  return { spec, name: 'watkins', root: dataDir, items, notes, skipped, classes: [...WATKINS_CLASSES] };
}

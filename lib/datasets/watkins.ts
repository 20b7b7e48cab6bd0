/**
 * `watkins:<root>`: the BEANS copy of Watkins "best of": `<root>/data/annotations.csv` with columns
 * `path,species`; paths relative to `<root>/data/` (and confined to it); label = species; whole clips;
 * items in file order.
 */
import { join, resolve } from 'node:path';
import { DatasetError } from '../util/errors.js';
import { readCsvTable, requireColumns } from './csvTable.js';
import { resolveInside } from './paths.js';
import type { Dataset, Item } from './types.js';

export function loadWatkinsDataset(rootDir: string, spec = `watkins:${rootDir}`): Dataset {
  const root = resolve(rootDir);
  const dataDir = join(root, 'data');
  const file = join(dataDir, 'annotations.csv');
  const table = readCsvTable(file);
  requireColumns(table, ['path', 'species'], 'the Watkins layout is <root>/data/annotations.csv with columns path,species');
  if (table.rows.length === 0) throw new DatasetError('csv-empty', 'annotations.csv has no rows', { file });
  const items: Item[] = table.rows.map((row, index) => {
    const path = resolveInside(dataDir, row.cells.path, { file, line: row.line });
    const label = row.cells.species;
    if (label === '') throw new DatasetError('csv-value', `line ${row.line}: empty species`, { file });
    return { index, path, label };
  });
  return { spec, name: 'watkins', root: dataDir, items };
}

/**
 * `loadDataset(spec)`: turn a dataset spec (INTERFACE.md) into items in the spec's documented order
 * (docs/DATASETS.md). Schemes: csv:, folder:, watkins:, imv:, imv-caller:, abzaliev:, synthetic[:n].
 */
import { DatasetError } from '../util/errors.js';
import { loadAbzalievDataset } from './abzaliev.js';
import { classesOf, withClasses } from './classes.js';
import { loadCsvDataset } from './csv.js';
import { loadFolderDataset } from './folder.js';
import { loadImvDataset, type ImvLabel } from './imv.js';
import { SYNTHETIC_DEFAULT_N } from './synthetic/generate.js';
import { defaultCacheDir } from '../util/cache.js';
import { loadSyntheticDataset } from './synthetic/materialise.js';
import type { Dataset } from './types.js';
import { loadWatkinsDataset } from './watkins.js';

export interface LoadDatasetOptions {
  /** Where `synthetic` materialises its files; default `defaultCacheDir(process.env)`. */
  cacheDir?: string;
  /** Label for `imv:` (default 'calltype'); `imv-caller:` forces 'caller'. */
  imvLabel?: ImvLabel;
  /** The class index map to use instead of the dataset's own (every label must be in it; classes.ts). */
  classes?: readonly string[];
}

export const DATASET_SCHEMES: readonly string[] = ['csv', 'folder', 'watkins', 'imv', 'imv-caller', 'abzaliev', 'synthetic'];

/** Split `scheme:rest`; a bare `synthetic` has an empty rest. */
export function parseSpec(spec: string): { scheme: string; arg: string } {
  const m = /^([a-z][a-z0-9-]*)(?::(.*))?$/s.exec(spec.trim());
  const scheme = m?.[1] ?? '';
  if (!m || !DATASET_SCHEMES.includes(scheme)) {
    throw new DatasetError('spec-scheme', `unknown dataset spec "${spec}"`, {
      hint: `known schemes: ${DATASET_SCHEMES.join(', ')}; e.g. csv:labels.csv or synthetic:600`,
    });
  }
  const arg = m[2] ?? '';
  if (scheme !== 'synthetic' && arg === '') throw new DatasetError('spec-path', `dataset spec "${spec}" needs a path after "${scheme}:"`);
  return { scheme, arg };
}

/** Load `spec`; the result always has `classes` (its own map, or `opts.classes`). */
export async function loadDataset(spec: string, opts: LoadDatasetOptions = {}): Promise<Dataset> {
  const ds = await loadBySpec(spec, opts);
  return opts.classes ? withClasses(ds, opts.classes) : { ...ds, classes: classesOf(ds) };
}

async function loadBySpec(spec: string, opts: LoadDatasetOptions): Promise<Dataset> {
  const { scheme, arg } = parseSpec(spec);
  switch (scheme) {
    case 'csv':
      return loadCsvDataset(arg, spec);
    case 'folder':
      return loadFolderDataset(arg, spec);
    case 'watkins':
      return loadWatkinsDataset(arg, spec);
    case 'imv':
      return loadImvDataset(arg, opts.imvLabel ?? 'calltype', spec);
    case 'imv-caller':
      return loadImvDataset(arg, 'caller', spec);
    case 'abzaliev':
      return loadAbzalievDataset(arg, spec);
    default: {
      let n = SYNTHETIC_DEFAULT_N;
      if (arg !== '') {
        if (!/^\d+$/.test(arg)) throw new DatasetError('synthetic-n', `synthetic:${arg}: n must be a positive integer`);
        n = Number(arg);
      }
      return loadSyntheticDataset(n, opts.cacheDir ?? defaultCacheDir(process.env), spec);
    }
  }
}

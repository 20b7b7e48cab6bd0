/**
 * The class index map of a dataset: an ordered list of class names; class i is output i of the probe and
 * column i of every predictions file. The dataset owns it (the paper's maps for its datasets,
 * paperClasses.ts; numbers by value, then names, for the others); a `classes` option replaces it.
 * A map may hold classes that never occur (Abzaliev's `S`): the probe still has an output for them.
 *
 * Written as `classes.json` (a JSON array of names) into features and results folders.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../util/atomic.js';
import { DatasetError } from '../util/errors.js';
import type { Dataset } from './types.js';

export const CLASSES_FILE = 'classes.json';

/** A label that is a plain decimal number (`7`, `-2`, `0.5`) sorts by value. */
function numeric(label: string): number | undefined {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(label)) return undefined;
  return Number(label);
}

/**
 * Label order: numeric labels by value (`2` before `10`), before every other label; other labels by
 * code units (Python's sorted()). A total order, so sorting is well defined for mixed label sets.
 */
export function compareLabels(a: string, b: string): number {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined && na !== nb) return na - nb;
  if ((na === undefined) !== (nb === undefined)) return na !== undefined ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The default map of a label set: its distinct labels in compareLabels order. */
export function defaultClasses(labels: Iterable<string>): string[] {
  return [...new Set(labels)].sort(compareLabels);
}

/** The dataset's map: its own `classes`, else the default order of its labels. */
export function classesOf(ds: Dataset): string[] {
  return ds.classes ?? defaultClasses(ds.items.map((it) => it.label));
}

/** Check a class list: at least one class, non-empty names, no duplicates. Returns it. */
export function checkClassList(classes: readonly unknown[], where: string): string[] {
  if (!Array.isArray(classes) || classes.length === 0) throw new DatasetError('classes-invalid', `${where}: the class list is empty`);
  const seen = new Set<string>();
  for (const c of classes) {
    if (typeof c !== 'string' || c === '')
      throw new DatasetError('classes-invalid', `${where}: class names must be non-empty strings, got ${JSON.stringify(c)}`);
    if (seen.has(c)) throw new DatasetError('classes-invalid', `${where}: class "${c}" is listed twice`);
    seen.add(c);
  }
  return [...classes] as string[];
}

/** Help text of the commands' `--classes` option. */
export const CLASSES_OPTION_HELP =
  'class index map in order (class i = probe output i; every label must be in it): a,b,c or @file (JSON array or one name per line)';

/**
 * The `--classes` option: `a,b,c` (names in order), or `@file`: a JSON array (what classes.json holds;
 * any `.json` file, or text starting with `[`) or one name per line. Names containing commas (Watkins' `Beluga,_White_Whale`) need the file form.
 */
export function parseClassesOption(value: string): string[] {
  if (!value.startsWith('@'))
    return checkClassList(
      value.split(',').map((s) => s.trim()),
      '--classes',
    );
  const file = value.slice(1);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DatasetError('classes-unreadable', `cannot read the class list (${(err as NodeJS.ErrnoException).code ?? String(err)})`, {
      file,
      cause: err,
    });
  }
  if (/\.json$/i.test(file) || text.trimStart().startsWith('[')) return readClassesJson(text, file);
  return checkClassList(
    text
      .split(/\r?\n/)
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    file,
  );
}

function readClassesJson(text: string, file: string): string[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new DatasetError('classes-invalid', `not a JSON array of class names: ${(err as Error).message}`, { file, cause: err });
  }
  if (!Array.isArray(v)) throw new DatasetError('classes-invalid', 'not a JSON array of class names', { file });
  return checkClassList(v, file);
}

/**
 * Give `ds` the map `classes`: every item's label must be in it (DatasetError `class-unknown` naming the
 * first item that is not). Classes without items are fine.
 */
export function withClasses(ds: Dataset, classes: readonly string[]): Dataset {
  const list = checkClassList(classes, 'classes');
  const known = new Set(list);
  const bad = ds.items.find((it) => !known.has(it.label));
  if (bad) {
    throw new DatasetError(
      'class-unknown',
      `item ${bad.index} (${bad.path}) has label "${bad.label}", which is not in the class list [${list.join(', ')}]`,
      {
        hint: 'add the label to the class list, or fix the item',
      },
    );
  }
  return { ...ds, classes: list };
}

/** Write `<dir>/classes.json`. */
export function writeClassesFile(dir: string, classes: readonly string[]): void {
  writeJsonAtomic(join(dir, CLASSES_FILE), classes, 0);
}

/** Read `<dir>/classes.json`; undefined when the folder has none. */
export function readClassesFile(dir: string): string[] | undefined {
  const file = join(dir, CLASSES_FILE);
  if (!existsSync(file)) return undefined;
  return readClassesJson(readFileSync(file, 'utf8'), file);
}

/**
 * Reading confusion/[seed_<s>/]<name>.<split>.json (written by writeSplitOutputs): the counts of one
 * system, split and seed, rows = true class, columns = predicted class, in classes.json's order.
 */
import { existsSync, readFileSync } from 'node:fs';
import { BioprobeError } from '../util/errors.js';
import { confusionPath, type ScoredSplit } from './layout.js';

export interface ConfusionCounts {
  file: string;
  classes: string[];
  matrix: number[][];
}

/**
 * The confusion counts of `name` on `split` for the seed at `seedIndex` (its value `seed`); undefined
 * when the file is absent, a typed error naming the file when it is malformed.
 */
export function readConfusion(dir: string, name: string, split: ScoredSplit, seedIndex = 0, seed?: number): ConfusionCounts | undefined {
  const file = confusionPath(dir, name, split, seedIndex, seed);
  if (!existsSync(file)) return undefined;
  let raw: { classes?: unknown; matrix?: unknown };
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as typeof raw;
  } catch (err) {
    throw new BioprobeError('results', 'confusion-unreadable', `not valid JSON: ${(err as Error).message.split('\n')[0]}`, { file });
  }
  const classes = raw?.classes;
  const matrix = raw?.matrix;
  if (!Array.isArray(classes) || !Array.isArray(matrix))
    throw new BioprobeError('results', 'confusion-malformed', 'expected {"classes": [...], "matrix": [[...]]}', { file });
  const C = classes.length;
  const ok =
    matrix.length === C && matrix.every((r) => Array.isArray(r) && r.length === C && r.every((v) => Number.isInteger(v) && v >= 0));
  if (!ok) throw new BioprobeError('results', 'confusion-malformed', `matrix is not ${C} x ${C} non-negative integer counts`, { file });
  return { file, classes: classes.map(String), matrix: matrix as number[][] };
}

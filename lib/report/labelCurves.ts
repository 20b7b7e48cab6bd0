/**
 * Reading a label-efficiency folder (written by `bioprobe analyze label-efficiency`; INTERFACE.md
 * Extensions): `label_efficiency.csv` (`model,dataset,layer,shots,seed,train_clips,val_uar,test_uar`,
 * shots = training clips per class or `all`, UAR as fractions) and `manifest.json`
 * (`bioprobe.labels/1`, kind `label-efficiency`). The report draws it; it never computes it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvNumber, readCsvTable, requireColumns } from '../util/csv.js';
import { BioprobeError } from '../util/errors.js';
import { LABELS_KIND } from './inputs.js';

export const LABELS_FORMAT = 'bioprobe.labels/1';
export const LABELS_CSV = 'label_efficiency.csv';
const COLUMNS = ['model', 'dataset', 'layer', 'shots', 'seed', 'train_clips', 'val_uar', 'test_uar'] as const;

/** One training run: `shots` clips per class (or every training clip), one seed. */
export interface LabelPoint { shots: number | 'all'; seed: string; trainClips: number; valUar: number; testUar: number }

export interface LabelCurve {
  dir: string;
  model: string;
  dataset: string;
  /** The probed layer (the model's best validation layer); undefined when the file does not say. */
  layer?: number;
  /** How the layer was chosen, as the manifest says (e.g. "best-val"). */
  layerFrom?: string;
  points: LabelPoint[];
}

/** Read one label-efficiency folder; a typed error naming the file when it is unusable. */
export function readLabelCurve(dir: string): LabelCurve {
  const mfile = join(dir, 'manifest.json');
  let m: Record<string, unknown> = {};
  if (existsSync(mfile)) {
    try {
      m = JSON.parse(readFileSync(mfile, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new BioprobeError('results', 'labels-manifest', `not valid JSON: ${(err as Error).message.split('\n')[0]}`, { file: mfile });
    }
    if (m.kind !== LABELS_KIND || (m.format !== undefined && m.format !== LABELS_FORMAT)) {
      throw new BioprobeError('results', 'labels-manifest', `format/kind is ${JSON.stringify(m.format)}/${JSON.stringify(m.kind)}, expected "${LABELS_FORMAT}"/"${LABELS_KIND}"`, { file: mfile });
    }
  }
  const table = readCsvTable(join(dir, LABELS_CSV), { kind: 'results' });
  requireColumns(table, COLUMNS, 'see INTERFACE.md (label efficiency)');
  const points: LabelPoint[] = [];
  for (const { cells: c, line } of table.rows) {
    const shots = c.shots.toLowerCase() === 'all' ? 'all' : Number(c.shots);
    const p = { shots, seed: c.seed, trainClips: csvNumber(c.train_clips) ?? NaN, valUar: csvNumber(c.val_uar) ?? NaN, testUar: csvNumber(c.test_uar) ?? NaN } as LabelPoint;
    if ((shots !== 'all' && !(Number.isInteger(shots) && shots > 0)) || !Number.isFinite(p.testUar) || p.testUar < 0 || p.testUar > 1) {
      throw new BioprobeError('results', 'labels-row', `line ${line}: shots must be a positive integer or "all" and test_uar a fraction, got "${c.shots}", "${c.test_uar}"`, { file: table.file });
    }
    points.push(p);
  }
  if (points.length === 0) throw new BioprobeError('results', 'labels-empty', 'no rows', { file: table.file });
  const first = table.rows[0].cells;
  const layer = typeof m.layer === 'number' ? m.layer : /^\d+$/.test(first.layer) ? Number(first.layer) : undefined;
  return { dir, model: String(m.model ?? first.model), dataset: String(m.dataset ?? first.dataset), layer, layerFrom: typeof m.layer_from === 'string' ? m.layer_from : undefined, points };
}

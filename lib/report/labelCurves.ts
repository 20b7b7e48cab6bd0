/**
 * Reading a label-efficiency folder (written by `bioprobe analyze label-efficiency`; INTERFACE.md
 * Extensions): `label_efficiency.csv` (`model,dataset,layer,shots,seed,train_clips,val_uar,test_uar`,
 * shots = training clips per class or `all`, UAR as fractions) and `manifest.json`
 * (`bioprobe.labels/1`, kind `label-efficiency`). The report draws it; it never computes it.
 */
import { LABELS_MANIFEST, readLabelEfficiency } from '../analysis/index.js';
import { BioprobeError } from '../util/errors.js';
import { LABELS_KIND } from './inputs.js';

/** One training run: `shots` clips per class (or every training clip), one seed. */
export interface LabelPoint {
  shots: number | 'all';
  seed: string;
  trainClips: number;
  valUar: number;
  testUar: number;
}

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

/** Read one label-efficiency folder through analysis' one reader; a typed error naming the file when it is unusable. */
export function readLabelCurve(dir: string): LabelCurve {
  const { rows, manifest: m } = readLabelEfficiency(dir);
  if (m && m.kind !== LABELS_KIND)
    throw new BioprobeError('results', 'labels-manifest', `kind is ${JSON.stringify(m.kind)}, expected "${LABELS_KIND}"`, {
      file: `${dir}/${LABELS_MANIFEST}`,
    });
  const points = rows.map(
    (r): LabelPoint => ({ shots: r.shots, seed: String(r.seed), trainClips: r.train_clips, valUar: r.val_uar, testUar: r.test_uar }),
  );
  const bad = rows.findIndex((r) => r.test_uar < 0 || r.test_uar > 1 || (r.shots !== 'all' && r.shots < 1));
  if (bad >= 0)
    throw new BioprobeError(
      'results',
      'labels-row',
      `row ${bad + 1}: shots must be a positive integer or "all" and test_uar a fraction, got "${rows[bad].shots}", "${rows[bad].test_uar}"`,
      { file: `${dir}/label_efficiency.csv` },
    );
  if (points.length === 0) throw new BioprobeError('results', 'labels-empty', 'no rows', { file: `${dir}/label_efficiency.csv` });
  const layer = m?.layer ?? rows[0].layer;
  return { dir, model: m?.model ?? rows[0].model, dataset: m?.dataset ?? rows[0].dataset, layer, layerFrom: m?.layer_from, points };
}

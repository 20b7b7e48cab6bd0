/**
 * The figures of the analyses beyond the paper, as panels for buildFigures: per-class recall by layer
 * (one heatmap per model and dataset), the weighted probe's layer weights, label-efficiency curves and
 * CKA heatmaps (one per model pair). Captions say what was computed on which split, over how many seeds.
 */
import type { LayerSimilarity } from '../analysis/index.js';
import type { StudyAnalyses } from './analyses.js';
import { ckaChart } from './figures/cka.js';
import { classRecallChart } from './figures/classRecall.js';
import { labelEfficiencyChart } from './figures/labelEfficiency.js';
import { layerWeightsChart } from './figures/layerWeights.js';
import { FULL_WIDTH, PALETTE, type VlSpec } from './figures/theme.js';
import { list, percent, thousands } from './format.js';
import type { LabelCurve } from './labelCurves.js';
import { slug } from './names.js';
import { panelLetter, plural } from './prose.js';
import type { Study, StudyModel } from './study.js';
import { WEIGHTED_LABEL } from './tables.js';

type Panels = { label: string; name: string; spec: VlSpec | undefined }[];
export interface AnalysisFigure {
  key: 'recall' | 'weights' | 'labels' | 'cka';
  caption: string;
  panels: Panels;
}

/** "3 seeds", or "1–3 seeds" when they differ. */
function seedsText(counts: number[]): string {
  const lo = Math.min(...counts);
  const hi = Math.max(...counts);
  return lo === hi ? plural(lo, 'seed') : `${lo}\u2013${hi} seeds`;
}

/** A layer in a label: "CNN" for layer 0, else its number. */
function layerName(layer: number): string {
  return layer === 0 ? 'CNN' : String(layer);
}

export function analysisFigures(study: Study, a: StudyAnalyses, colours: Map<StudyModel, string>): AnalysisFigure[] {
  const out: AnalysisFigure[] = [];
  const colourOf = (name: string) => {
    const m = study.models.find((x) => x.name === name);
    const extra = [...new Set(a.labels.map((l) => l.model))].indexOf(name);
    return (m && colours.get(m)) ?? PALETTE[(study.models.length + extra) % PALETTE.length];
  };

  if (a.recall.length > 0) {
    const thresholds = [...new Set(a.recall.map((r) => r.data.threshold))];
    const width = a.recall.length === 1 ? FULL_WIDTH : Math.floor((FULL_WIDTH - 24) / 2);
    out.push({
      key: 'recall',
      caption: recallCaption(
        a.recall.map((r) => r.data.seeds.length),
        thresholds,
      ),
      panels: a.recall.map((r, i) => ({
        label: recallLabel(i, r),
        name: `recall-${i + 1}-${slug(r.model.name)}-${slug(r.dataset.name)}`,
        spec: classRecallChart(r.data, { width }),
      })),
    });
  }

  const weights = study.datasets.flatMap((d) =>
    d.weighted
      .filter((w) => w.weights)
      .map((w) => ({ dataset: d.name, model: w.model.name, colour: colours.get(w.model) ?? PALETTE[0], weights: w.weights! })),
  );
  if (weights.length > 0) {
    out.push({
      key: 'weights',
      caption: weightsCaption(weights.flatMap((w) => w.weights.map((x) => x.seeds))),
      panels: [{ label: '', name: 'layer-weights', spec: layerWeightsChart(weights) }],
    });
  }

  if (a.labels.length > 0) {
    const curves = a.labels.map((l) => ({ dataset: l.dataset, model: l.model, colour: colourOf(l.model), points: l.curve.points }));
    out.push({
      key: 'labels',
      caption: labelsCaption(
        a.labels.map((l) => curveModel(l.model, l.curve.layer)),
        a.labels.flatMap((l) => seedsPerPoint(l.curve)),
      ),
      panels: [{ label: '', name: 'label-efficiency', spec: labelEfficiencyChart(curves) }],
    });
  }

  const pairs = a.cka.flatMap((c) => {
    const others = c.data.pairs.filter((p) => p.a !== p.b);
    return (others.length > 0 ? others : c.data.pairs).map((p) => ({ c, p }));
  });
  if (pairs.length > 0) {
    const width = pairs.length === 1 ? FULL_WIDTH : Math.floor((FULL_WIDTH - 24) / 2);
    out.push({
      key: 'cka',
      caption: ckaCaption([...new Set(a.cka.map((c) => ckaMethod(c.data)))]),
      panels: pairs.map(({ c, p }, i) => {
        const A = c.data.models.find((m) => m.name === p.a)!;
        const B = c.data.models.find((m) => m.name === p.b)!;
        const [na, nb] = [c.names.get(p.a) ?? p.a, c.names.get(p.b) ?? p.b];
        return {
          label: ckaLabel(i, na, nb, c.dataset, c.data.clips.used),
          name: `cka-${i + 1}-${slug(na)}-${slug(nb)}`,
          spec: ckaChart({ a: na, b: nb, layersA: A.layers, layersB: B.layers, cka: p.cka }, { width }),
        };
      }),
    });
  }
  return out;
}

/** The recall heatmaps: what colour means, over how many seeds, the row order, and the unseparated threshold(s). */
function recallCaption(seedCounts: number[], thresholds: number[]): string {
  return (
    'Per-class recall by layer on the test split: colour is the recall of each class (rows) at each layer (columns), ' +
    `mean over ${seedsText(seedCounts)}. ` +
    'Classes are ordered by their recall at the layer chosen on validation UAR (outlined column); ' +
    'classes without test clips are left out. ' +
    `A class no layer separates has a mean test recall below ${list(thresholds.map(percent))} at every layer (chance is 1/C); ` +
    'they are listed in the table below.'
  );
}

/** A recall panel: "(a) dataset: model, 3 seeds, layer chosen on val: 4". */
function recallLabel(i: number, r: StudyAnalyses['recall'][number]): string {
  const chosen = `layer chosen on ${r.data.best_layer_by}: ${layerName(r.data.best_layer)}`;
  return `${panelLetter(i)} ${r.dataset.name}: ${r.model.name}, ${seedsText([r.data.seeds.length])}, ${chosen}`;
}

/** The layer-weights figure: what the weighted probe is and what the bars show. */
function weightsCaption(seedCounts: number[]): string {
  return (
    `Learned layer weights of the weighted probe ("${WEIGHTED_LABEL}": one MLP on the softmax-weighted sum of every layer\u2019s ` +
    'standardised pooled vector, weights learned with the MLP on the train split): ' +
    'softmax weight of each layer at each seed\u2019s selected epoch, mean \u00b1 one standard deviation over ' +
    `${seedsText(seedCounts)}. The dashed line is the uniform mix (1 / number of layers); its test UAR is a row of the results table.`
  );
}

/** A label-efficiency curve's model and probed layer, e.g. "HuBERT layer 9" ("layer CNN" for layer 0). */
function curveModel(model: string, layer: number | undefined): string {
  return layer === undefined ? model : `${model} layer ${layerName(layer)}`;
}

/** For each number of shots of a curve, how many seeds were drawn. */
function seedsPerPoint(curve: LabelCurve): number[] {
  const shots = [...new Set(curve.points.map((p) => p.shots))];
  return shots.map((k) => new Set(curve.points.filter((p) => p.shots === k).map((p) => p.seed)).size);
}

/** The label-efficiency figure: the axes, which layers were probed, what was subsampled, and the bands. */
function labelsCaption(models: string[], seedCounts: number[]): string {
  return (
    'Label efficiency: test UAR against the number of training clips per class (log\u2082 axis; "all" = every training clip), ' +
    `each model probed at its layer chosen on validation (${list(models)}). ` +
    'Only the training split is subsampled; validation and test splits are unchanged. ' +
    `Lines are means over ${seedsText(seedCounts)} per point, bands the range (min\u2013max) over seeds.`
  );
}

/** How a CKA file was computed: exact or low-rank (with its bound), on standardised or raw features. */
function ckaMethod(d: LayerSimilarity): string {
  const how =
    d.mode === 'lowrank' ? `low-rank (every value within \u00b1${d.lowrank?.maxError.toExponential(1)} of the exact one)` : 'exact';
  return `${how} on ${d.standardize ? 'standardised' : 'raw'} pooled features`;
}

/** The CKA figure: what is compared on which clips, how (one phrase per distinct method), and how to read it. */
function ckaCaption(methods: string[]): string {
  return (
    'Layer similarity: linear CKA between every layer of one model (rows) and every layer of another (columns), ' +
    `on the same clips (all splits) of a dataset, ${list(methods)}. ` +
    '1 means the two layers\u2019 representations agree up to rotation and scale; grey cells are undefined (a constant layer).'
  );
}

/** A CKA panel: "(a) A × B, dataset, 1,234 clips" (no dataset when the file names none). */
function ckaLabel(i: number, a: string, b: string, dataset: string | undefined, clips: number): string {
  const on = dataset ? `, ${dataset}` : '';
  return `${panelLetter(i)} ${a} \u00d7 ${b}${on}, ${thousands(clips)} clips`;
}

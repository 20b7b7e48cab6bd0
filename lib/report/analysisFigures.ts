/**
 * The figures of the analyses beyond the paper, as panels for buildFigures: per-class recall by layer
 * (one heatmap per model and dataset), the weighted probe's layer weights, label-efficiency curves and
 * CKA heatmaps (one per model pair). Captions say what was computed on which split, over how many seeds.
 */
import type { StudyAnalyses } from './analyses.js';
import { ckaChart } from './figures/cka.js';
import { classRecallChart } from './figures/classRecall.js';
import { labelEfficiencyChart } from './figures/labelEfficiency.js';
import { layerWeightsChart } from './figures/layerWeights.js';
import { FULL_WIDTH, PALETTE, type VlSpec } from './figures/theme.js';
import { list, thousands } from './format.js';
import { slug } from './names.js';
import type { Study, StudyModel } from './study.js';

type Panels = { label: string; name: string; spec: VlSpec | undefined }[];
export interface AnalysisFigure { key: 'recall' | 'weights' | 'labels' | 'cka'; caption: string; panels: Panels }

const letter = (i: number) => `(${String.fromCharCode(97 + (i % 26))})`;
const pct = (v: number) => `${Math.round(1000 * v) / 10} %`;
/** "3 seeds", or "1-3 seeds" when they differ. */
function seedsText(counts: number[]): string {
  const lo = Math.min(...counts);
  const hi = Math.max(...counts);
  return lo === hi ? `${lo} seed${lo === 1 ? '' : 's'}` : `${lo}\u2013${hi} seeds`;
}

export function analysisFigures(study: Study, a: StudyAnalyses, colours: Map<StudyModel, string>): AnalysisFigure[] {
  const out: AnalysisFigure[] = [];
  const colourOf = (name: string) => {
    const m = study.models.find((x) => x.name === name);
    return (m && colours.get(m)) ?? PALETTE[(study.models.length + [...new Set(a.labels.map((l) => l.model))].indexOf(name)) % PALETTE.length];
  };

  if (a.recall.length > 0) {
    const thresholds = [...new Set(a.recall.map((r) => r.data.threshold))];
    const width = a.recall.length === 1 ? FULL_WIDTH : Math.floor((FULL_WIDTH - 24) / 2);
    out.push({
      key: 'recall',
      caption: `Per-class recall by layer on the test split: colour is the recall of each class (rows) at each layer (columns), mean over ${seedsText(a.recall.map((r) => r.data.seeds.length))}. ` +
        'Classes are ordered by their recall at the layer chosen on validation UAR (outlined column); classes without test clips are left out. ' +
        `A class no layer separates has a mean test recall below ${list(thresholds.map(pct))} at every layer (chance is 1/C); they are listed in the table below.`,
      panels: a.recall.map((r, i) => ({
        label: `${letter(i)} ${r.dataset.name}: ${r.model.name}, ${seedsText([r.data.seeds.length])}, layer chosen on ${r.data.best_layer_by}: ${r.data.best_layer === 0 ? 'CNN' : r.data.best_layer}`,
        name: `recall-${i + 1}-${slug(r.model.name)}-${slug(r.dataset.name)}`, spec: classRecallChart(r.data, { width }),
      })),
    });
  }

  const weights = study.datasets.flatMap((d) => d.weighted.filter((w) => w.weights).map((w) => ({ dataset: d.name, model: w.model.name, colour: colours.get(w.model) ?? PALETTE[0], weights: w.weights! })));
  if (weights.length > 0) {
    out.push({
      key: 'weights',
      caption: 'Learned layer weights of the weighted probe ("all layers (weighted)": one MLP on the softmax-weighted sum of every layer\u2019s standardised pooled vector, weights learned with the MLP on the train split): ' +
        `softmax weight of each layer at each seed\u2019s selected epoch, mean \u00b1 one standard deviation over ${seedsText(weights.flatMap((w) => w.weights.map((x) => x.seeds)))}. The dashed line is the uniform mix (1 / number of layers); its test UAR is a row of the results table.`,
      panels: [{ label: '', name: 'layer-weights', spec: layerWeightsChart(weights) }],
    });
  }

  if (a.labels.length > 0) {
    const seeds = a.labels.flatMap((l) => [...new Set(l.curve.points.map((p) => p.shots))].map((k) => new Set(l.curve.points.filter((p) => p.shots === k).map((p) => p.seed)).size));
    const layers = a.labels.map((l) => `${l.model}${l.curve.layer !== undefined ? ` layer ${l.curve.layer === 0 ? 'CNN' : l.curve.layer}` : ''}`);
    out.push({
      key: 'labels',
      caption: `Label efficiency: test UAR against the number of training clips per class (log\u2082 axis; "all" = every training clip), each model probed at its layer chosen on validation (${list(layers)}). ` +
        `Only the training split is subsampled; validation and test splits are unchanged. Lines are means over ${seedsText(seeds)} per point, bands the range (min\u2013max) over seeds.`,
      panels: [{ label: '', name: 'label-efficiency', spec: labelEfficiencyChart(a.labels.map((l) => ({ dataset: l.dataset, model: l.model, colour: colourOf(l.model), points: l.curve.points }))) }],
    });
  }

  const pairs = a.cka.flatMap((c) => {
    const others = c.data.pairs.filter((p) => p.a !== p.b);
    return (others.length > 0 ? others : c.data.pairs).map((p) => ({ c, p }));
  });
  if (pairs.length > 0) {
    const width = pairs.length === 1 ? FULL_WIDTH : Math.floor((FULL_WIDTH - 24) / 2);
    const how = [...new Set(a.cka.map((c) => `${c.data.mode === 'lowrank' ? `low-rank (every value within \u00b1${c.data.lowrank?.maxError.toExponential(1)} of the exact one)` : 'exact'} on ${c.data.standardize ? 'standardised' : 'raw'} pooled features`))];
    out.push({
      key: 'cka',
      caption: `Layer similarity: linear CKA between every layer of one model (rows) and every layer of another (columns), on the same clips (all splits) of a dataset, ${list(how)}. ` +
        '1 means the two layers\u2019 representations agree up to rotation and scale; grey cells are undefined (a constant layer).',
      panels: pairs.map(({ c, p }, i) => {
        const A = c.data.models.find((m) => m.name === p.a)!;
        const B = c.data.models.find((m) => m.name === p.b)!;
        const [na, nb] = [c.names.get(p.a) ?? p.a, c.names.get(p.b) ?? p.b];
        return {
          label: `${letter(i)} ${na} \u00d7 ${nb}${c.dataset ? `, ${c.dataset}` : ''}, ${thousands(c.data.clips.used)} clips`,
          name: `cka-${i + 1}-${slug(na)}-${slug(nb)}`, spec: ckaChart({ a: na, b: nb, layersA: A.layers, layersB: B.layers, cka: p.cka }, { width }),
        };
      }),
    });
  }
  return out;
}

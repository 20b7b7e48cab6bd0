/**
 * The sentences of the report's body sections, one function each: the datasets, models and methods
 * paragraphs and the opening sentence of each result section. Table and figure numbers come in as
 * arguments (undefined when that table or figure is absent, and the sentence then leaves it out).
 */
import { list } from './format.js';
import { capitalise, counted } from './prose.js';
import { WEIGHTED_LABEL } from './tables.js';

/** Datasets section: how many and which, then where Table I and the lengths figure show them. */
export function datasetsParagraph(names: string[], table?: string, lengthsFigure?: number): string {
  const intro = `The study uses ${counted(names.length, 'dataset')}: ${list(names)}.`;
  if (!table) return intro;
  const lengths = lengthsFigure ? ` and Fig. ${lengthsFigure} shows the distribution of their vocalisation lengths` : '';
  return `${intro} Table ${table} summarises them${lengths}.`;
}

/** Models section: how many models were probed, which, and what "every layer" means. */
export function modelsParagraph(names: string[], table?: string, pipelineFigure?: number): string {
  const probed = capitalise(counted(names.length, 'model was', 'models were'));
  const inTable = table ? ` (Table ${table})` : '';
  const asIn = pipelineFigure ? ` as in Fig. ${pipelineFigure}` : '';
  return (
    `${probed} probed: ${list(names)}${inTable}. Features are taken from every layer${asIn}: ` +
    'layer 0 ("CNN") is the projected output of the convolutional feature encoder, the others are the transformer layers\' outputs.'
  );
}

/** Methods section: splits, probes, the layer choice and the seeds (`seeds` as in the methods table). */
export function methodsParagraph(seeds: string, seedCount: number, splitTable?: string): string {
  const splitRef = splitTable ? ` (Table ${splitTable})` : '';
  const spread = seedCount > 1 ? '; scores are means and standard deviations over seeds' : '';
  return (
    `Each dataset is split into train, validation and test items${splitRef}. ` +
    "For every model and layer, an MLP probe is trained on the train split's pooled features " +
    'and evaluated by unweighted average recall (UAR). ' +
    `Each model's layer is selected on validation UAR, and its test UAR is reported. Probes were trained with ${seeds}${spread}.`
  );
}

/** Layer-wise performance: the layers figure, of the pre-trained models when there are any. */
export function layersParagraph(figure: number, pretrained: boolean, datasets: string[]): string {
  const which = pretrained ? 'pre-trained ' : '';
  const on = datasets.length === 1 ? datasets[0] : 'each dataset';
  return (
    `Fig. ${figure} shows the test UAR of every layer of the ${which}models on ${on}, ` +
    'which locates the layers that carry the most task-relevant information.'
  );
}

/** Confusions: whose confusion matrices the figure shows. */
export function confusionParagraph(figure: number, fused: boolean | undefined): string {
  const whose = fused ? 'fused classifiers' : 'best classifiers';
  return `Fig. ${figure} shows where the ${whose} confuse classes on the test split.`;
}

/** Per-class recall: the heatmaps, then the unseparated-classes table or that there are none. */
export function recallParagraph(figure: number, thresholds: string, table?: string): string {
  const unseparated = table
    ? `Table ${table} lists the classes no layer separates.`
    : `Every class reaches a mean test recall of ${thresholds} at some layer.`;
  return `Fig. ${figure} shows which layers separate which classes: the test recall of every class at every layer. ${unseparated}`;
}

/** Caption of the unseparated-classes table. */
export function unseparatedCaption(thresholds: string): string {
  return (
    `Classes no layer separates: their mean test recall over seeds stays below the threshold (${thresholds}) at every layer; ` +
    'the highest it reaches and where.'
  );
}

/** All layers, learned mix: the weights figure, and the results table's row of the weighted probe. */
export function weightsParagraph(figure: number, scoreTable?: string): string {
  const row = scoreTable ? `; its test UAR is the row \u201c${WEIGHTED_LABEL}\u201d of Table ${scoreTable}` : '';
  return `Fig. ${figure} shows the layer weights the weighted probe learned${row}.`;
}

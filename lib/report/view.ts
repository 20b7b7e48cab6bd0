/**
 * The report as one view model for the templates: sections, numbered tables and figures, captions and
 * generated prose. Everything here is plain text; the templates escape it.
 */
import type { ClipStats } from './clipStats.js';
import type { Figure } from './buildFigures.js';
import { list, roman } from './format.js';
import type { Methods } from './methods.js';
import type { Narrative } from './narrative.js';
import type { Study } from './study.js';
import type { ScoreTable, SimpleTable } from './tables.js';

interface TableView { id: string; number: string; caption: string; columns: SimpleTable['columns']; cells: { text: string; numeric?: boolean; wrap?: boolean }[][] }
type ScoreView = ScoreTable & { id: string; number: string; caption: string };

export interface ReportView {
  version: string;
  date?: string;
  title: string;
  demo?: string;
  /** The banner text is the user's own notice rather than a detected demonstration. */
  demoIsNotice: boolean;
  dirCount: number;
  oneDir: boolean;
  abstract: string;
  datasetSection?: { text: string; table?: TableView; figures: Figure[] };
  modelSection: { text: string; table?: TableView; figures: Figure[] };
  methods: Methods & { letter: string; text: string };
  resultSections: { letter: string; heading: string; paragraphs: string[]; findings?: string[]; figures: Figure[]; scoreTable?: ScoreView; tables?: TableView[] }[];
  oracle?: ScoreView;
  resultsTableNumber?: string;
  notes: string[];
}

interface ViewInput {
  study: Study;
  stats: Map<string, ClipStats>;
  figures: Figure[];
  datasetTable?: SimpleTable;
  modelTable?: SimpleTable;
  scores?: ScoreTable;
  oracle?: ScoreTable;
  /** Classes no layer separates (per-class recall); the threshold(s) in percent. */
  unseparated?: { table?: SimpleTable; thresholds: number[] };
  methods: Methods;
  narrative: Narrative;
  version: string;
  date?: string;
  notice?: string;
}

export function buildView(v: ViewInput): ReportView {
  let tableNo = 0;
  const nextTable = () => roman(++tableNo);
  const fig = (key: Figure['key']) => v.figures.filter((f) => f.key === key);
  const ref = (key: Figure['key']) => fig(key)[0]?.number;
  const simple = (t: SimpleTable | undefined, id: string, caption: string): TableView | undefined => t && {
    id, number: nextTable(), caption, columns: t.columns, cells: t.rows.map((r) => t.columns.map((c) => ({ text: r[c.key], numeric: c.numeric, wrap: c.wrap }))),
  };
  const { study } = v;

  const dsTable = simple(v.datasetTable, 'table-datasets', datasetCaption(v.datasetTable));
  const datasetSection = dsTable || fig('lengths').length > 0 ? {
    text: `The study uses ${study.datasets.length === 1 ? 'one dataset' : `${study.datasets.length} datasets`}: ${list(study.datasets.map((d) => d.name))}.` +
      (dsTable ? ` Table ${dsTable.number} summarises them${ref('lengths') ? ` and Fig. ${ref('lengths')} shows the distribution of their vocalisation lengths` : ''}.` : ''),
    table: dsTable, figures: fig('lengths'),
  } : undefined;

  const mTable = simple(v.modelTable, 'table-models', modelCaption(v.modelTable));
  const modelSection = {
    text: `${study.models.length === 1 ? 'One model was' : `${study.models.length} models were`} probed: ${list(study.models.map((m) => m.name))}` +
      (mTable ? ` (Table ${mTable.number})` : '') + `. Features are taken from every layer${ref('pipeline') ? ` as in Fig. ${ref('pipeline')}` : ''}: layer 0 ("CNN") is the projected output of the convolutional feature encoder, the others are the transformer layers' outputs.`,
    table: mTable, figures: fig('pipeline'),
  };

  const splitRef = dsTable && v.datasetTable?.columns.some((c) => c.key === 'split') ? ` (Table ${dsTable.number})` : '';
  const methods = {
    ...v.methods, letter: datasetSection ? 'C' : 'B',
    text: `Each dataset is split into train, validation and test items${splitRef}. For every model and layer, an MLP probe is trained on the train split's pooled features and evaluated by unweighted average recall (UAR). ` +
      `Each model's layer is selected on validation UAR, and its test UAR is reported. Probes were trained with ${v.methods.seeds}${study.seeds.length > 1 ? '; scores are means and standard deviations over seeds' : ''}.`,
  };

  const sections: ReportView['resultSections'] = [];
  const letter = () => String.fromCharCode(65 + sections.length);
  if (fig('layers').length > 0) {
    sections.push({ letter: letter(), heading: 'Layer-wise performance', paragraphs: [`Fig. ${ref('layers')} shows the test UAR of every layer of the ${study.models.some((m) => m.kind.startsWith('PT') && m.kind !== 'PT+FT') ? 'pre-trained ' : ''}models on ${study.datasets.length === 1 ? study.datasets[0].name : 'each dataset'}, which locates the layers that carry the most task-relevant information.`], figures: fig('layers') });
  }
  if (fig('finetune').length > 0) {
    sections.push({ letter: letter(), heading: 'Fine-tuning', paragraphs: [`Fig. ${ref('finetune')} compares models fine-tuned on speech recognition with the pre-trained models of the same family.`], figures: fig('finetune') });
  }
  let scoreView: ScoreView | undefined;
  if (v.scores) {
    const n = nextTable();
    scoreView = { ...v.scores, id: 'table-results', number: n, caption: scoreCaption(v.scores, study.seeds.length) };
    sections.push({ letter: letter(), heading: 'Comparison', paragraphs: [`Table ${n} gives each model's test UAR at its selected layer.`], findings: v.narrative.findings, figures: [], scoreTable: scoreView });
  }
  if (fig('confusion').length > 0) {
    sections.push({ letter: letter(), heading: 'Confusions', paragraphs: [`Fig. ${ref('confusion')} shows where the ${fig('confusion')[0].fused ? 'fused classifiers' : 'best classifiers'} confuse classes on the test split.`], figures: fig('confusion') });
  }
  if (fig('recall').length > 0) {
    const n = ref('recall');
    const thr = list((v.unseparated?.thresholds ?? []).map((t) => `${Math.round(1000 * t) / 10} %`));
    const t = simple(v.unseparated?.table, 'table-unseparated', `Classes no layer separates: their mean test recall over seeds stays below the threshold (${thr}) at every layer; the highest it reaches and where.`);
    sections.push({ letter: letter(), heading: 'Per-class recall by layer', paragraphs: [
      `Fig. ${n} shows which layers separate which classes: the test recall of every class at every layer. ` +
      (t ? `Table ${t.number} lists the classes no layer separates.` : `Every class reaches a mean test recall of ${thr} at some layer.`),
    ], figures: fig('recall'), tables: t ? [t] : undefined });
  }
  if (fig('weights').length > 0) {
    sections.push({ letter: letter(), heading: 'All layers, learned mix', paragraphs: [`Fig. ${ref('weights')} shows the layer weights the weighted probe learned${scoreView ? `; its test UAR is the row “all layers (weighted)” of Table ${scoreView.number}` : ''}.`], figures: fig('weights') });
  }
  if (fig('labels').length > 0) {
    sections.push({ letter: letter(), heading: 'Label efficiency', paragraphs: [`Fig. ${ref('labels')} shows how test UAR grows with the number of labelled training clips per class.`], figures: fig('labels') });
  }
  if (fig('cka').length > 0) {
    sections.push({ letter: letter(), heading: 'Layer similarity', paragraphs: [`Fig. ${ref('cka')} compares the layers of different models by linear CKA on the same clips.`], figures: fig('cka') });
  }
  const oracle = v.oracle && v.scores && v.scores.by === 'val'
    ? { ...v.oracle, id: 'table-oracle', number: nextTable(), caption: 'UAR scores [%] on the best layer chosen on Test (the paper\u2019s convention; optimistic). Best in bold, second best underlined.' }
    : undefined;

  return {
    version: v.version, date: v.date, title: v.narrative.title, demo: v.notice ?? study.demo, demoIsNotice: v.notice !== undefined, dirCount: study.dirs.length, oneDir: study.dirs.length === 1,
    abstract: v.narrative.abstract, datasetSection, modelSection, methods, resultSections: sections, oracle, resultsTableNumber: scoreView?.number,
    notes: study.warnings.list,
  };
}

function datasetCaption(t: SimpleTable | undefined): string {
  if (!t) return '';
  const parts = ['Datasets'];
  const keys = t.columns.map((c) => c.key);
  const defs: [string, string][] = [['minutes', 'L the total length [min]'], ['sr', 'SR the sampling rate [kHz]'], ['classes', 'nc the number of classes'], ['median', 'μ the median length [ms]'], ['std', 'σ its standard deviation [ms]'], ['split', 'the items per split']];
  const used = defs.filter(([k]) => keys.includes(k)).map(([, d]) => d);
  return used.length > 0 ? `${parts[0]}: ${list(used)}.` : `${parts[0]}.`;
}

function modelCaption(t: SimpleTable | undefined): string {
  if (!t) return '';
  const keys = t.columns.map((c) => c.key);
  const defs: [string, string][] = [['corpus', 'pre-training corpus'], ['params', 'parameters P [M]'], ['dim', 'feature dimension D'], ['layers', 'transformer layers TL'], ['type', 'type (PT: pre-trained, PT+FT: also fine-tuned)']];
  const used = defs.filter(([k]) => keys.includes(k)).map(([, d]) => d);
  return used.length > 0 ? `Models: ${list(used)}.` : 'Models.';
}

function scoreCaption(t: ScoreTable, seeds: number): string {
  const by = t.by === 'val' ? 'the layer chosen on Val' : t.by === 'test' ? 'the best layer on Test (no validation scores were recorded)' : 'the selected layer (on Val where recorded, else on Test)';
  const interval = {
    bootstrap: '95 % bootstrap interval over test clips below',
    t: '95 % t-interval over seeds (clipped to 0–100) below',
    mixed: '95 % interval below (bootstrap over test clips where the probe recorded one, else t over seeds)',
    none: '',
  }[t.intervals];
  const parts = [t.seeds ? `mean ± std over ${seeds} seeds` : '', interval].filter((p) => p);
  const mix = t.weighted ? ' Rows "all layers (weighted)" are one probe on a learned softmax-weighted mix of every layer (epoch chosen as for single layers; no layer choice).' : '';
  return `UAR scores [%] on Test at ${by}, with the layer. Best in bold, second best underlined (${t.weighted ? 'fusion and weighted mixes' : 'fusion'} not ranked).${mix}` +
    (parts.length > 0 ? ` ${parts.join(', ').replace(/^./, (c) => c.toUpperCase())}.` : '');
}

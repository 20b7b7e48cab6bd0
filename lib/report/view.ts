/**
 * The report as one view model for the templates: sections, numbered tables and figures, captions and
 * generated prose. Everything here is plain text; the templates escape it.
 */
import type { ClipStats } from './clipStats.js';
import type { Figure } from './buildFigures.js';
import { list, percent, roman } from './format.js';
import type { Methods } from './methods.js';
import { isPretrainedOnly } from './names.js';
import type { Narrative } from './narrative.js';
import {
  confusionParagraph,
  datasetsParagraph,
  layersParagraph,
  methodsParagraph,
  modelsParagraph,
  recallParagraph,
  unseparatedCaption,
  weightsParagraph,
} from './paragraphs.js';
import { capitalise } from './prose.js';
import type { Study } from './study.js';
import { WEIGHTED_LABEL, type ScoreTable, type SimpleTable } from './tables.js';

interface TableView {
  id: string;
  number: string;
  caption: string;
  columns: SimpleTable['columns'];
  cells: { text: string; numeric?: boolean; wrap?: boolean }[][];
}
type ScoreView = ScoreTable & { id: string; number: string; caption: string };

interface ResultSection {
  letter: string;
  heading: string;
  paragraphs: string[];
  findings?: string[];
  figures: Figure[];
  scoreTable?: ScoreView;
  tables?: TableView[];
}

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
  resultSections: ResultSection[];
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
  const simple = (t: SimpleTable | undefined, id: string, caption: string): TableView | undefined =>
    t && {
      id,
      number: nextTable(),
      caption,
      columns: t.columns,
      cells: t.rows.map((r) => t.columns.map((c) => ({ text: r[c.key], numeric: c.numeric, wrap: c.wrap }))),
    };
  const { study } = v;

  const dsTable = simple(v.datasetTable, 'table-datasets', datasetCaption(v.datasetTable));
  const datasetSection =
    dsTable || fig('lengths').length > 0
      ? {
          text: datasetsParagraph(
            study.datasets.map((d) => d.name),
            dsTable?.number,
            ref('lengths'),
          ),
          table: dsTable,
          figures: fig('lengths'),
        }
      : undefined;

  const mTable = simple(v.modelTable, 'table-models', modelCaption(v.modelTable));
  const modelSection = {
    text: modelsParagraph(
      study.models.map((m) => m.name),
      mTable?.number,
      ref('pipeline'),
    ),
    table: mTable,
    figures: fig('pipeline'),
  };

  const splitTable = v.datasetTable?.columns.some((c) => c.key === 'split') ? dsTable?.number : undefined;
  const methods = {
    ...v.methods,
    letter: datasetSection ? 'C' : 'B',
    text: methodsParagraph(v.methods.seeds, study.seeds.length, splitTable),
  };

  const sections: ResultSection[] = [];
  const letter = () => String.fromCharCode(65 + sections.length);
  /** A result section around the figures of `key` (none when the run made none); its letter follows the last. */
  const section = (key: Figure['key'], heading: string, paragraph: (figure: number) => string, extra: Partial<ResultSection> = {}) => {
    const figures = fig(key);
    if (figures.length === 0) return;
    sections.push({ letter: letter(), heading, paragraphs: [paragraph(figures[0].number)], figures, ...extra });
  };
  const pretrained = study.models.some((m) => isPretrainedOnly(m.kind));
  section('layers', 'Layer-wise performance', (n) =>
    layersParagraph(
      n,
      pretrained,
      study.datasets.map((d) => d.name),
    ),
  );
  section(
    'finetune',
    'Fine-tuning',
    (n) => `Fig. ${n} compares models fine-tuned on speech recognition with the pre-trained models of the same family.`,
  );
  let scoreView: ScoreView | undefined;
  if (v.scores) {
    const n = nextTable();
    scoreView = { ...v.scores, id: 'table-results', number: n, caption: scoreCaption(v.scores, study.seeds.length) };
    sections.push({
      letter: letter(),
      heading: 'Comparison',
      paragraphs: [`Table ${n} gives each model's test UAR at its selected layer.`],
      findings: v.narrative.findings,
      figures: [],
      scoreTable: scoreView,
    });
  }
  section('confusion', 'Confusions', (n) => confusionParagraph(n, fig('confusion')[0]?.fused));
  if (fig('recall').length > 0) {
    const thr = list((v.unseparated?.thresholds ?? []).map(percent));
    const t = simple(v.unseparated?.table, 'table-unseparated', unseparatedCaption(thr));
    section('recall', 'Per-class recall by layer', (n) => recallParagraph(n, thr, t?.number), { tables: t ? [t] : undefined });
  }
  section('weights', 'All layers, learned mix', (n) => weightsParagraph(n, scoreView?.number));
  section('labels', 'Label efficiency', (n) => `Fig. ${n} shows how test UAR grows with the number of labelled training clips per class.`);
  section('cka', 'Layer similarity', (n) => `Fig. ${n} compares the layers of different models by linear CKA on the same clips.`);
  const oracle =
    v.oracle && v.scores && v.scores.by === 'val'
      ? { ...v.oracle, id: 'table-oracle', number: nextTable(), caption: ORACLE_CAPTION }
      : undefined;

  return {
    version: v.version,
    date: v.date,
    title: v.narrative.title,
    demo: v.notice ?? study.demo,
    demoIsNotice: v.notice !== undefined,
    dirCount: study.dirs.length,
    oneDir: study.dirs.length === 1,
    abstract: v.narrative.abstract,
    datasetSection,
    modelSection,
    methods,
    resultSections: sections,
    oracle,
    resultsTableNumber: scoreView?.number,
    notes: study.warnings.list,
  };
}

/** Table I's caption: the symbols of the columns the table kept. */
function datasetCaption(t: SimpleTable | undefined): string {
  return columnsCaption('Datasets', t, [
    ['minutes', 'L the total length [min]'],
    ['sr', 'SR the sampling rate [kHz]'],
    ['classes', 'nc the number of classes'],
    ['median', 'μ the median length [ms]'],
    ['std', 'σ its standard deviation [ms]'],
    ['split', 'the items per split'],
  ]);
}

/** Table II's caption: the meaning of the columns the table kept. */
function modelCaption(t: SimpleTable | undefined): string {
  return columnsCaption('Models', t, [
    ['corpus', 'pre-training corpus'],
    ['params', 'parameters P [M]'],
    ['dim', 'feature dimension D'],
    ['layers', 'transformer layers TL'],
    ['type', 'type (PT: pre-trained, PT+FT: also fine-tuned)'],
  ]);
}

/** "Title: a, b and c." from the definitions of the columns `t` has; '' without a table. */
function columnsCaption(title: string, t: SimpleTable | undefined, defs: [key: string, text: string][]): string {
  if (!t) return '';
  const keys = t.columns.map((c) => c.key);
  const used = defs.filter(([k]) => keys.includes(k)).map(([, d]) => d);
  return used.length > 0 ? `${title}: ${list(used)}.` : `${title}.`;
}

const ORACLE_CAPTION =
  'UAR scores [%] on the best layer chosen on Test (the paper\u2019s convention; optimistic). ' + 'Best in bold, second best underlined.';

/** Where Table III's layer was chosen, by the table's convention. */
const SELECTED_BY: Record<ScoreTable['by'], string> = {
  val: 'the layer chosen on Val',
  test: 'the best layer on Test (no validation scores were recorded)',
  mixed: 'the selected layer (on Val where recorded, else on Test)',
};

/** Which 95 % intervals Table III's cells show. */
const INTERVALS: Record<ScoreTable['intervals'], string> = {
  bootstrap: '95 % bootstrap interval over test clips below',
  t: '95 % t-interval over seeds (clipped to 0–100) below',
  mixed: '95 % interval below (bootstrap over test clips where the probe recorded one, else t over seeds)',
  none: '',
};

/** Table III's caption: the layer choice, the unranked rows, the weighted probe, and what the spread and intervals are. */
function scoreCaption(t: ScoreTable, seeds: number): string {
  const unranked = t.weighted ? 'fusion and weighted mixes' : 'fusion';
  const mix = t.weighted
    ? ` Rows "${WEIGHTED_LABEL}" are one probe on a learned softmax-weighted mix of every layer` +
      ' (epoch chosen as for single layers; no layer choice).'
    : '';
  const spread = [t.seeds ? `mean ± std over ${seeds} seeds` : '', INTERVALS[t.intervals]].filter((p) => p);
  const below = spread.length > 0 ? ` ${capitalise(spread.join(', '))}.` : '';
  return (
    `UAR scores [%] on Test at ${SELECTED_BY[t.by]}, with the layer. ` +
    `Best in bold, second best underlined (${unranked} not ranked).${mix}${below}`
  );
}

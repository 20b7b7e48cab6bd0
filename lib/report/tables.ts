/**
 * Table I (datasets), Table II (models) and Table III (best-layer test UAR) as plain view models: every
 * cell is text (escaped by the template) plus flags for emphasis, never markup.
 */
import type { ClipStats } from './clipStats.js';
import { DASH, fixed, layerLabel, millions, sampleRates, thousands, valueText } from './format.js';
import { kindGroup } from './names.js';
import type { Study } from './study.js';
import type { Summary } from './summary.js';

interface Column {
  key: string;
  label: string;
  sub?: string;
  title?: string;
  numeric?: boolean /** long text that may wrap */;
  wrap?: boolean;
}
export interface SimpleTable {
  columns: Column[];
  rows: Record<string, string>[];
}

/** Columns whose every cell is a dash are dropped (the run did not record them). */
function dropEmpty(t: SimpleTable, keep: string[]): SimpleTable {
  const columns = t.columns.filter((c) => keep.includes(c.key) || t.rows.some((r) => r[c.key] !== DASH && r[c.key] !== ''));
  return { columns, rows: t.rows };
}

export function datasetTable(study: Study, stats: Map<string, ClipStats>): SimpleTable | undefined {
  const rows = study.datasets
    .filter((d) => stats.has(d.key))
    .map((d) => {
      const s = stats.get(d.key)!;
      return {
        name: d.name,
        samples: thousands(s.samples) + (s.skipped > 0 ? ` (+${s.skipped} skipped)` : ''),
        minutes: fixed(s.minutes, 0),
        sr: sampleRates(s.sampleRates),
        classes: thousands(s.classes),
        median: fixed(s.medianMs, 0),
        std: fixed(s.stdMs, 0),
        split: s.splitCounts ? ['train', 'val', 'test'].map((k) => thousands(s.splitCounts![k] ?? 0)).join(' / ') : DASH,
      };
    });
  if (rows.length === 0) return undefined;
  return dropEmpty(
    {
      columns: [
        { key: 'name', label: 'Dataset' },
        { key: 'samples', label: '# Samples', numeric: true },
        { key: 'minutes', label: 'L', title: 'total length [min]', numeric: true },
        { key: 'sr', label: 'SR', title: 'sampling rate [kHz]', numeric: true },
        { key: 'classes', label: 'n', sub: 'c', title: 'number of classes', numeric: true },
        { key: 'median', label: 'μ', title: 'median length [ms]', numeric: true },
        { key: 'std', label: 'σ', title: 'std of length [ms]', numeric: true },
        { key: 'split', label: 'Train / Val / Test', title: 'items per split', numeric: true },
      ],
      rows,
    },
    ['name', 'samples'],
  );
}

export function modelTable(study: Study): SimpleTable | undefined {
  if (study.models.length === 0) return undefined;
  const rows = study.models.map((m) => {
    const f = m.features;
    const width = m.info?.width ?? (f?.dim ? f.dim / 2 : undefined);
    // Feature layers = layer 0 (CNN) + transformer layers; modelInfo.layers only when that is unknown.
    const layers = m.singleLayer ? undefined : f?.layers ? f.layers - 1 : m.info?.layers;
    return {
      name: m.name,
      id: m.id === m.name ? DASH : m.id,
      corpus: m.info?.pretraining ? valueText(m.info.pretraining) : DASH,
      params: millions(m.info?.params),
      dim: width ? String(width) : DASH,
      layers: layers !== undefined ? String(layers) : DASH,
      type: m.info?.type ? valueText(m.info.type) : m.kind === 'other' ? DASH : m.kind,
    };
  });
  return dropEmpty(
    {
      columns: [
        { key: 'name', label: 'Model' },
        { key: 'id', label: 'Id' },
        { key: 'corpus', label: 'Corpus', title: 'pre-training data', wrap: true },
        { key: 'params', label: 'P', title: 'parameters [M]', numeric: true },
        { key: 'dim', label: 'D', title: 'feature dimension', numeric: true },
        { key: 'layers', label: 'TL', title: 'transformer layers', numeric: true },
        { key: 'type', label: 'Type' },
      ],
      rows,
    },
    ['name'],
  );
}

/** The row label of the weighted probe (all layers, learned mix). */
export const WEIGHTED_LABEL = 'all layers (weighted)';

interface ScoreCell {
  text: string;
  pm?: string;
  ci?: string;
  layer?: string;
  rank: 0 | 1 | 2;
}
interface ScoreRow {
  group: string;
  groupSpan: number;
  name: string;
  cells: ScoreCell[];
  fusion: boolean;
}
export interface ScoreTable {
  datasets: string[];
  rows: ScoreRow[];
  seeds: boolean;
  by: 'val' | 'test' | 'mixed';
  showGroups: boolean;
  /** Rows of weighted probes (all layers, learned mix) follow the models' rows. */
  weighted: boolean;
  /** Which intervals the cells show: bootstrap over test clips (summary.csv), t over seeds, both, or none. */
  intervals: 'bootstrap' | 't' | 'mixed' | 'none';
}

/** Table III: test UAR at each model's selected layer (`selected`) or its best test layer (`oracle`). */
export function scoreTable(study: Study, which: 'selected' | 'oracle'): ScoreTable | undefined {
  // the fusion row follows the table's convention: layers chosen on validation, or on test
  const fusionOf = (d: Study['datasets'][number]) => (which === 'selected' ? d.fusion : d.fusionOracle);
  const datasets = study.datasets.filter(
    (d) => d.results.some((r) => r[which]) || fusionOf(d)?.test || (which === 'selected' && d.weighted.some((w) => w.test)),
  );
  if (datasets.length === 0) return undefined;
  const bys = new Set<string>();
  const kinds = new Set<'bootstrap' | 't'>();
  const rows: ScoreRow[] = study.models.map((m) => ({
    group: kindGroup(m.kind),
    groupSpan: 0,
    name: m.name,
    fusion: false,
    cells: datasets.map((d) => {
      const sel = d.results.find((r) => r.model === m)?.[which];
      if (!sel) return { text: DASH, rank: 0 };
      bys.add(sel.by);
      return { ...scoreText(sel.test, sel.bootstrap, kinds), layer: layerLabel(sel.layer, m.singleLayer) || undefined, rank: 0 };
    }),
  }));
  rankColumns(rows, datasets.length);
  // the weighted probe (all layers, learned mix) of each model, beside its best single layer; not ranked
  const weighted =
    which === 'selected' ? study.models.filter((m) => datasets.some((d) => d.weighted.some((w) => w.model === m && w.test))) : [];
  for (const m of weighted) {
    rows.push({
      group: '',
      groupSpan: 0,
      name: study.models.length === 1 ? WEIGHTED_LABEL : `${m.name}: ${WEIGHTED_LABEL}`,
      fusion: true,
      cells: datasets.map((d) => {
        const w = d.weighted.find((x) => x.model === m);
        return w?.test ? { ...scoreText(w.test, w.bootstrap, kinds), rank: 0 } : { text: DASH, rank: 0 };
      }),
    });
  }
  if (datasets.some((d) => fusionOf(d)?.test)) {
    rows.push({
      group: '',
      groupSpan: 0,
      name: 'Fusion',
      fusion: true,
      cells: datasets.map((d) => {
        const f = fusionOf(d);
        return f?.test ? { ...scoreText(f.test, f.bootstrap, kinds), rank: 0 } : { text: DASH, rank: 0 };
      }),
    });
  }
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && rows[i].group === rows[i - 1].group) continue;
    let j = i;
    while (j < rows.length && rows[j].group === rows[i].group) j++;
    rows[i].groupSpan = j - i;
  }
  const seeds = [
    ...study.datasets.flatMap((d) => d.results.map((r) => r[which]?.test.n ?? 0)),
    ...study.datasets.flatMap((d) => d.weighted.map((w) => (which === 'selected' ? (w.test?.n ?? 0) : 0))),
    ...study.datasets.map((d) => fusionOf(d)?.test?.n ?? 0),
  ].some((n) => n > 1);
  const showGroups = rows.some((r) => r.group !== 'Other' && r.group !== '');
  const intervals = kinds.size === 2 ? 'mixed' : kinds.size === 1 ? [...kinds][0] : 'none';
  return {
    datasets: datasets.map((d) => d.name),
    rows,
    seeds,
    showGroups,
    intervals,
    weighted: weighted.length > 0,
    by: bys.size === 1 ? ([...bys][0] as 'val' | 'test') : 'mixed',
  };
}

/** Mean (± std over seeds) and a 95 % interval: the probe's bootstrap over test clips when recorded, else t over seeds. */
function scoreText(s: Summary, bootstrap: { lo: number; hi: number } | undefined, kinds: Set<'bootstrap' | 't'>): Omit<ScoreCell, 'rank'> {
  const cell: Omit<ScoreCell, 'rank'> = { text: fixed(s.mean) };
  if (s.n > 1) cell.pm = `±${fixed(s.std)}`;
  // A UAR interval cannot leave [0, 100]: with few seeds the t-interval does, so it is clipped.
  const iv = bootstrap ?? (s.n > 1 ? { lo: s.lo, hi: s.hi } : undefined);
  if (iv) {
    kinds.add(bootstrap ? 'bootstrap' : 't');
    cell.ci = `[${fixed(Math.max(0, iv.lo), 1)}, ${fixed(Math.min(100, iv.hi), 1)}]`;
  }
  return cell;
}

/** Best value per column in bold (rank 1), second best underlined (rank 2); ties share a rank. */
function rankColumns(rows: ScoreRow[], n: number): void {
  for (let c = 0; c < n; c++) {
    const values = [
      ...new Set(
        rows
          .map((r) => r.cells[c].text)
          .filter((t) => t !== DASH)
          .map(Number),
      ),
    ].sort((a, b) => b - a);
    for (const r of rows) {
      const cell = r.cells[c];
      if (cell.text === DASH) continue;
      const v = Number(cell.text);
      cell.rank = v === values[0] ? 1 : values.length > 2 && v === values[1] ? 2 : 0;
    }
  }
}

/**
 * Choose and build the report's figures from the study: each one a Vega-Lite spec rendered to SVG,
 * numbered in order of appearance. A figure whose data the run did not produce is left out.
 */
import { analysisFigures } from './analysisFigures.js';
import { NO_ANALYSES, type StudyAnalyses } from './analyses.js';
import type { Confusion } from './confusion.js';
import type { ClipStats } from './clipStats.js';
import { confusionChart } from './figures/confusion.js';
import { layerChart } from './figures/layers.js';
import { lengthsChart } from './figures/lengths.js';
import { pipelineChart } from './figures/pipeline.js';
import { FULL_WIDTH, PALETTE, type VlSpec } from './figures/theme.js';
import { list } from './format.js';
import { isPretrainedOnly, slug } from './names.js';
import { panelLetter } from './prose.js';
import type { StudyModel, Study } from './study.js';
import { renderSvg } from './svg.js';

interface Panel {
  /** Sub-caption, e.g. "(a) IMV: fusion, UAR 62.5 %". */
  label: string;
  file: string;
  spec: VlSpec;
  svg: string;
  /** Width of the SVG in px: the panel (and its sub-caption, which wraps) is that wide. */
  width: number;
}

export interface Figure {
  key: 'lengths' | 'pipeline' | 'layers' | 'finetune' | 'confusion' | 'recall' | 'weights' | 'labels' | 'cka';
  number: number;
  caption: string;
  panels: Panel[];
  /** More than one panel: the figure may break between panels across pages. */
  multi: boolean;
  /** Confusion figure: every matrix comes from a fusion. */
  fused?: boolean;
}

type Panels = { label: string; name: string; spec: VlSpec | undefined }[];

export async function buildFigures(
  study: Study,
  stats: Map<string, ClipStats>,
  confusions: Map<string, Confusion>,
  analyses: StudyAnalyses = NO_ANALYSES,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  const add = async (key: Figure['key'], caption: string, panels: Panels, extra: { fused?: boolean } = {}) => {
    const ready = panels.filter((p) => p.spec !== undefined);
    if (ready.length === 0) return;
    const number = figures.length + 1;
    const out: Panel[] = [];
    for (const p of ready) {
      const file = `fig${number}-${p.name}`;
      const svg = await renderSvg(p.spec!, file);
      out.push({ label: p.label, file, spec: p.spec!, svg, width: Number(/^<svg[^>]*\swidth="([\d.]+)"/.exec(svg)?.[1] ?? 0) });
    }
    figures.push({ key, number, caption, panels: out, multi: out.length > 1, ...extra });
  };

  const lengthSeries = study.datasets.map((d) => ({ dataset: d.name, lengthsMs: stats.get(d.key)?.lengthsMs ?? [] }));
  await add('lengths', LENGTHS_CAPTION, [{ label: '', name: 'lengths', spec: lengthsChart(lengthSeries) }]);

  const tl = study.models
    .map((m) => (m.features?.layers ? m.features.layers - 1 : m.info?.layers))
    .filter((v): v is number => v !== undefined);
  const dims = study.models.map((m) => m.features?.dim).filter((v): v is number => typeof v === 'number');
  const pipeline = pipelineChart({
    transformerLayers: tl.length ? Math.max(...tl) : undefined,
    pooledDim: dims.length ? Math.max(...dims) : undefined,
    fused: study.datasets.some((d) => d.fusion),
  });
  await add('pipeline', PIPELINE_CAPTION, [{ label: '', name: 'pipeline', spec: pipeline }]);

  const colours = new Map(study.models.map((m, i) => [m, PALETTE[i % PALETTE.length]]));
  const pt = study.models.filter((m) => isPretrainedOnly(m.kind));
  const base = pt.length > 0 ? pt : study.models.filter((m) => m.kind !== 'PT+FT');
  const seeds = study.seeds.length;
  await add('layers', layersCaption(base, pt.length > 0, seeds), [
    { label: '', name: 'layers', spec: layerChart(study.datasets, { models: base, colours }) },
  ]);

  const ft = fineTuneModels(study);
  if (ft.length > 0) {
    const shapes = new Map<StudyModel, string>();
    const dashes = new Map<StudyModel, number[]>();
    const families = [...new Set(ft.map((m) => m.family))];
    const SHAPES = ['triangle-up', 'square', 'diamond', 'circle', 'cross'];
    for (const m of ft) {
      shapes.set(m, SHAPES[families.indexOf(m.family) % SHAPES.length]);
      dashes.set(m, m.kind === 'PT+FT' ? [5, 3] : [1, 0]);
    }
    await add('finetune', fineTuneCaption(ft, seeds), [
      { label: '', name: 'finetune', spec: layerChart(study.datasets, { models: ft, shapes, dashes, colours }) },
    ]);
  }

  const cm = study.datasets.filter((d) => confusions.has(d.key));
  // Up to three matrices side by side, as in the paper, each with its colour legend; a matrix of many
  // classes (> 16) gets a row of its own so that its labels stay readable.
  const isBig = (key: string) => confusions.get(key)!.classes.length > 16;
  const perRow = Math.min(Math.max(cm.filter((d) => !isBig(d.key)).length, 1), 3);
  const panelWidth = (key: string) => (isBig(key) ? FULL_WIDTH + 40 : Math.floor((FULL_WIDTH + 40 - (perRow - 1) * 24) / perRow));
  const allFusion = cm.every((d) => confusions.get(d.key)!.isFusion);
  const noFusion = cm.every((d) => !confusions.get(d.key)!.isFusion);
  await add(
    'confusion',
    confusionCaption(allFusion, noFusion),
    cm.map((d, i) => {
      const c = confusions.get(d.key)!;
      return {
        label: `${panelLetter(i)} ${d.name}: ${c.source}, UAR ${c.uar.toFixed(2)} %, n = ${c.n}`,
        name: `confusion-${i + 1}-${slug(d.name)}`,
        spec: confusionChart(c, { width: panelWidth(d.key) }),
      };
    }),
    { fused: allFusion },
  );
  for (const f of analysisFigures(study, analyses, colours)) await add(f.key, f.caption, f.panels);
  return figures;
}

const LENGTHS_CAPTION =
  'Log distribution of vocalisation lengths per dataset (share of clips per log-spaced bin). ' +
  'Dashed lines mark each dataset\u2019s median.';

const PIPELINE_CAPTION =
  'Feature extraction and probing pipeline. ' +
  'Every layer\u2019s frames are pooled into a mean and standard-deviation vector, and a separate MLP probe is trained on each layer.';

/** What the bands of a layer-wise figure are when there are several seeds ('' for one). */
function seedsNote(seeds: number): string {
  return seeds > 1 ? ' Lines are means over seeds, bands \u00b1 one standard deviation.' : '';
}

/** The layers figure: which models (the pre-trained ones when `pretrained`), rings, dotted baselines, bands. */
function layersCaption(models: StudyModel[], pretrained: boolean, seeds: number): string {
  const which = pretrained ? 'pre-trained (PT) ' : '';
  const baselines = models.some((m) => m.singleLayer) ? '; dotted lines are single-layer baselines' : '';
  return (
    `Layer-wise test UAR of the ${which}models: ${list(models.map((m) => m.name))}. ` +
    `Layer 0 is the CNN feature encoder\u2019s output; rings mark the layer chosen on validation${baselines}.${seedsNote(seeds)}`
  );
}

/** The fine-tuning figure: base models against their fine-tuned versions. */
function fineTuneCaption(models: StudyModel[], seeds: number): string {
  return (
    `Layer-wise test UAR of base models (solid) against their fine-tuned versions (dashed): ${list(models.map((m) => m.name))}; ` +
    `rings mark the layer chosen on validation.${seedsNote(seeds)}`
  );
}

/** Whose predictions the confusion matrices count: fusions, best single models, or a mix of the two. */
function confusionSubject(allFusion: boolean, noFusion: boolean): string {
  if (allFusion) return 'the fusion of the best layers';
  if (noFusion) return 'each dataset\u2019s best model at its layer chosen on validation';
  return 'the fusion of the best layers, or of the best single layer where no fusion was run';
}

/** The confusion figure: whose matrices, and how to read them. */
function confusionCaption(allFusion: boolean, noFusion: boolean): string {
  return (
    `Row-normalised confusion matrices on the test split of ${confusionSubject(allFusion, noFusion)}. ` +
    'Rows are true classes, columns predicted classes; cells give the percentage of each true class. ' +
    'Empty rows are classes without test items.'
  );
}

/** Models of every family that has a fine-tuned member, base models first. */
function fineTuneModels(study: Study): StudyModel[] {
  const families = new Set(study.models.filter((m) => m.kind === 'PT+FT').map((m) => m.family));
  return study.models.filter((m) => families.has(m.family) && m.kind.startsWith('PT'));
}

/**
 * `bioprobe run`: an experiment file to a report, in documented phases
 *
 *   load -> plan -> extract -> probe -> fuse -> analyze -> report
 *
 * (load: loadExperiment; plan: planExperiment, which also fixes each dataset's split; then each stage in
 * order; analyze runs the analyses beyond the paper: weighted probe, class recall, label efficiency,
 * layer similarity). Every stage is skipped when its output folder's marker holds its key (cache.ts), so a second
 * run with nothing changed does nothing, and a changed model file or setting redoes only what depends
 * on it. The stages themselves are injected (stages.ts), the real ones by default.
 */
import { existsSync } from 'node:fs';
import { describeResampler } from '../audio/resampler.js';
import { join } from 'node:path';
import { beginStage, finishStage, isDone } from './cache.js';
import type { Experiment } from './load.js';
import { planExperiment, type Plan, type PlannedStage, type StageKind } from './plan.js';
import type { ReportOutput, Stages } from './stages.js';
import { BioprobeError } from '../util/errors.js';

/** The phases of a run, in order (the one list: the runner, `--until` and the docs use it). */
export const PHASES = ['load', 'plan', 'extract', 'probe', 'fuse', 'analyze', 'report'] as const;

/** The phases that run stages, the ones `until` can name. */
export type StagePhase = Exclude<(typeof PHASES)[number], 'load' | 'plan'>;
export const STAGE_PHASES: readonly StagePhase[] = PHASES.filter((p): p is StagePhase => p !== 'load' && p !== 'plan');

/** `value` as a stage phase; throws a usage error listing them otherwise. */
export function parsePhase(value: string): StagePhase {
  const phase = STAGE_PHASES.find((p) => p === value);
  if (!phase) throw new BioprobeError('usage', 'bad-phase', `unknown phase "${value}"`, { hint: `use one of ${STAGE_PHASES.join(', ')}` });
  return phase;
}

export interface RunOptions {
  stages: Stages;
  /** One line per event (stage skipped, started, finished). */
  log?: (line: string) => void;
  /** Redo every stage, ignoring the markers. */
  force?: boolean;
  /** Plan and report what would run, run nothing. */
  dryRun?: boolean;
  /** Stop after this phase (notebooks run the chain step by step): 'extract', 'probe', 'fuse', 'analyze' or 'report'. */
  until?: StagePhase;
}

export interface StageOutcome {
  kind: StageKind;
  label: string;
  dir: string;
  status: 'cached' | 'ran' | 'planned';
  seconds: number;
}

export interface RunSummary {
  plan: Plan;
  outcomes: StageOutcome[];
  report?: ReportOutput;
}

/** The phase each kind of stage belongs to (the split stages are laid out by the plan phase and run first). */
const PHASE_OF: Record<StageKind, StagePhase | 'plan'> = {
  split: 'plan',
  extract: 'extract',
  probe: 'probe',
  fuse: 'fuse',
  weighted: 'analyze',
  recall: 'analyze',
  labels: 'analyze',
  cka: 'analyze',
  report: 'report',
};

/** The order stages run in. */
const ORDER: StageKind[] = ['split', 'extract', 'probe', 'fuse', 'weighted', 'recall', 'labels', 'cka', 'report'];

export async function runExperiment(exp: Experiment, opts: RunOptions): Promise<RunSummary> {
  const log = opts.log ?? (() => {});
  const { stages } = opts;
  const plan = await planExperiment(exp, stages, log);
  log(
    `plan: ${plan.datasets.length} dataset(s) × ${plan.models.length} model(s), protocol ${exp.protocol}, ${plan.stages.length} stages; resampler ${describeResampler(plan.resampler)}; work folder ${exp.work}`,
  );
  const outcomes: StageOutcome[] = [];
  let report: ReportOutput | undefined;
  const until = PHASES.indexOf(opts.until ?? 'report');
  for (const kind of ORDER.filter((k) => PHASES.indexOf(PHASE_OF[k]) <= until)) {
    for (const st of plan.stages.filter((s) => s.kind === kind)) {
      if (!opts.force && isDone(st.dir, st.key)) {
        outcomes.push({ kind, label: st.label, dir: st.dir, status: 'cached', seconds: 0 });
        log(`${st.label}: up to date`);
        if (kind === 'report') report = reportFiles(st.dir);
        continue;
      }
      if (opts.dryRun) {
        outcomes.push({ kind, label: st.label, dir: st.dir, status: 'planned', seconds: 0 });
        log(`${st.label}: would run`);
        continue;
      }
      log(`${st.label}: running`);
      const t0 = performance.now();
      // the report folder holds the work folder by default: never empty it
      beginStage(st.dir, kind, st.key, st.inputs, { clear: kind !== 'report' });
      const r = await runStage(st, plan, stages);
      if (r) report = r;
      finishStage(st.dir, kind, st.key, st.inputs);
      const seconds = (performance.now() - t0) / 1000;
      outcomes.push({ kind, label: st.label, dir: st.dir, status: 'ran', seconds });
      log(`${st.label}: done in ${seconds.toFixed(1)} s`);
    }
  }
  return { plan, outcomes, report };
}

async function runStage(st: PlannedStage, plan: Plan, stages: Stages): Promise<ReportOutput | undefined> {
  const exp = plan.experiment;
  const d = st.dataset;
  switch (st.kind) {
    case 'split':
      await stages.split({ dataset: d!.dataset, settings: d!.entry.split, out: d!.splitFile });
      return undefined;
    case 'extract':
      await stages.extract({
        model: st.model!,
        dataset: d!.dataset,
        out: st.dir,
        threads: exp.extract.threads,
        device: exp.extract.device,
        limit: exp.extract.limit,
        cacheDir: exp.cache,
        resampler: exp.extract.resampler,
        requireExactResampler: exp.extract.requireExactResampler,
      });
      return undefined;
    case 'probe':
      await stages.probe({
        features: st.reads![0],
        split: d!.splitFile,
        out: st.dir,
        settings: exp.probe,
        threads: exp.extract.threads,
        device: exp.extract.device,
        classes: d!.dataset.classes!,
      });
      return undefined;
    case 'fuse':
      await stages.fuse({ results: st.reads!, out: st.dir });
      return undefined;
    case 'weighted':
      await stages.weighted({
        features: st.reads![0],
        split: d!.splitFile,
        out: st.dir,
        settings: exp.probe,
        device: exp.extract.device,
        classes: d!.dataset.classes!,
      });
      return undefined;
    case 'recall':
      await stages.recall({ results: st.reads![0], out: st.dir });
      return undefined;
    case 'labels':
      if (!exp.analyses.labels) return undefined;
      await stages.labels({
        features: st.reads![0],
        results: st.reads![1],
        split: d!.splitFile,
        out: st.dir,
        settings: exp.probe,
        labels: exp.analyses.labels,
        threads: exp.extract.threads,
        device: exp.extract.device,
        classes: d!.dataset.classes!,
      });
      return undefined;
    case 'cka':
      if (!exp.analyses.cka) return undefined;
      await stages.cka({
        features: st.reads!.map((dir, i) => ({ dir, name: st.members![i].name })),
        out: st.dir,
        settings: exp.analyses.cka,
        threads: exp.extract.threads,
      });
      return undefined;
    case 'report':
      return stages.report({ results: st.reads!, out: st.dir, experiment: exp, models: plan.models });
  }
}

/** The report files of a finished report folder. */
function reportFiles(dir: string): ReportOutput {
  const pdf = join(dir, 'report.pdf');
  return { html: join(dir, 'report.html'), pdf: existsSync(pdf) ? pdf : undefined };
}

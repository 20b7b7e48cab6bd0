/**
 * Experiment files and the runner: one YAML file to the whole chain, each stage cached by a content
 * hash of its inputs (docs/EXPERIMENTS.md). Phases: load -> plan -> extract -> probe -> fuse -> report.
 */
export { ExperimentSchema, BASELINES, type ExperimentFile, type DatasetEntry, type ModelEntry } from './schema.js';
export { experimentJsonSchema } from './jsonSchema.js';
export {
  loadExperiment,
  parseExperiment,
  ExperimentError,
  type Experiment,
  type ExperimentModel,
  type ExperimentDataset,
  type ModelRef,
  type LoadOptions,
} from './load.js';
export { PRESETS, type Preset, type ProtocolName, type ProbeSettings, type SplitSettings } from './presets.js';
export { planExperiment, STAGE_FORMATS, type Plan, type PlannedStage, type PlannedDataset, type StageKind } from './plan.js';
export {
  runExperiment,
  parsePhase,
  PHASES,
  STAGE_PHASES,
  type StagePhase,
  type RunOptions,
  type RunSummary,
  type StageOutcome,
} from './runner.js';
export { defaultStages, type DefaultStageOptions } from './defaultStages.js';
export { MARKER, readMarker, isDone, type StageMarker } from './cache.js';
export type { Stages, ResolvedModel, ReportOutput } from './stages.js';

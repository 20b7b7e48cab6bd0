/** The list of commands, in the order `bioprobe --help` shows them: each adds itself to a program. */
import type { Command } from 'commander';
import { registerAnalyze } from './analyze.js';
import { registerDatasets } from './datasets.js';
import { registerDoctor } from './doctor.js';
import { registerExtract } from './extract.js';
import { registerFuse } from './fuse.js';
import { registerModels } from './models.js';
import { registerProbe } from './probe.js';
import { registerReport } from './report.js';
import { registerRun } from './run.js';
import { registerSplit } from './split.js';

export const COMMANDS: readonly ((program: Command) => void)[] = [
  registerDatasets,
  registerSplit,
  registerModels,
  registerExtract,
  registerProbe,
  registerFuse,
  registerAnalyze,
  registerReport,
  registerRun,
  registerDoctor,
];

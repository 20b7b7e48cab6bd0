/** `bioprobe analyze`: the analyses beyond the paper's tables (docs/INTERFACE.md Extensions), one subcommand each. */
import type { Command } from 'commander';
import { registerAnalyzeLabels } from './analyzeLabels.js';

/** Adds `bioprobe analyze` and its subcommands to the program. */
export function registerAnalyze(program: Command): void {
  const analyze = program.command('analyze').description('analyses beyond the paper: label efficiency (more to come)');
  registerAnalyzeLabels(analyze);
}

/** `bioprobe run <experiment.yaml>`: the whole chain from one experiment file, each stage cached (lib/experiment). */
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { defaultCacheDir } from '../util/cache.js';
import { loadExperiment, runExperiment, STAGE_PHASES } from '../experiment/index.js';
import { parseChoice, parseOptionalInteger } from '../util/options.js';
import { defaultStages } from '../experiment/defaultStages.js';
import { summaryLines } from '../experiment/summary.js';
import type { Command } from 'commander';

/** Adds `bioprobe run` to the program. */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run an experiment file (datasets x models -> features -> probes -> fusion -> report), redoing only what changed')
    .argument('<experiment.yaml>', 'experiment file (see experiments/demo.yaml and docs/EXPERIMENTS.md)')
    .option('--dry-run', 'print the plan (what is up to date, what would run) and run nothing')
    .option('--force', 'redo every stage even when its cached output is up to date')
    .option('--threads <n>', 'threads when the file does not say (default: all cores)')
    .option('--until <phase>', `stop after this phase: ${STAGE_PHASES.join(', ')}`)
    .option('--quiet', 'print only the report location')
    .option(
      '--allow-inexact-resampler',
      "let the paper protocol run without libsoxr (bioprobe's kaiser resampler: close to, not equal to, the paper's preprocessing)",
    )
    .action(
      async (
        file: string,
        o: { dryRun?: boolean; force?: boolean; threads?: string; quiet?: boolean; until?: string; allowInexactResampler?: boolean },
      ) => {
        const until = o.until === undefined ? undefined : parseChoice('--until', o.until, STAGE_PHASES);
        const threads = parseOptionalInteger('--threads', o.threads, { min: 1 }) ?? availableParallelism();
        const exp = loadExperiment(file, {
          threads,
          cacheDir: defaultCacheDir(process.env),
          allowInexactResampler: o.allowInexactResampler,
        });
        const log = o.quiet ? undefined : (line: string) => process.stderr.write(`bioprobe run: ${line}\n`);
        const t0 = performance.now();
        const summary = await runExperiment(exp, {
          stages: defaultStages({ progress: o.quiet ? undefined : process.stderr, notice: log }),
          log,
          force: o.force,
          dryRun: o.dryRun,
          until,
        });
        const ran = summary.outcomes.filter((s) => s.status === 'ran').length;
        const cached = summary.outcomes.filter((s) => s.status === 'cached').length;
        if (o.dryRun) {
          process.stdout.write(
            `${exp.name}: ${summary.outcomes.filter((s) => s.status === 'planned').length} stage(s) would run, ${cached} up to date\n`,
          );
          return;
        }
        const show = (p: string) => (relative(process.cwd(), p).startsWith('..') ? p : relative(process.cwd(), p));
        log?.(`${ran} stage(s) ran, ${cached} up to date, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        if (!o.quiet) for (const line of summaryLines(summary.plan)) process.stdout.write(line + '\n');
        const r = summary.report;
        if (r) {
          process.stdout.write(`report: ${show(r.html)}\n`);
          if (r.pdf) process.stdout.write(`pdf:    ${show(r.pdf)}\n`);
          else if (r.pdfNote) process.stdout.write(`no pdf: ${r.pdfNote}\n`);
        }
      },
    );
}

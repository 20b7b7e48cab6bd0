/** `bioprobe run <experiment.yaml>`: the whole chain from one experiment file, each stage cached (lib/experiment). */
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { defaultCacheDir } from '../datasets/index.js';
import { loadExperiment, runExperiment } from '../experiment/index.js';
import { defaultStages } from '../experiment/defaultStages.js';
import { summaryLines } from '../experiment/summary.js';
import { UsageError } from '../util/errors.js';
import { addCommands } from './index.js';

addCommands((program) => {
  program
    .command('run')
    .description('run an experiment file (datasets x models -> features -> probes -> fusion -> report), redoing only what changed')
    .argument('<experiment.yaml>', 'experiment file (see experiments/demo.yaml and docs/EXPERIMENTS.md)')
    .option('--dry-run', 'print the plan (what is up to date, what would run) and run nothing')
    .option('--force', 'redo every stage even when its cached output is up to date')
    .option('--threads <n>', 'threads when the file does not say (default: all cores)')
    .option('--until <phase>', 'stop after this phase: extract, probe, fuse or report')
    .option('--quiet', 'print only the report location')
    .option('--allow-inexact-resampler', 'let the paper protocol run without libsoxr (bioprobe\'s kaiser resampler: close to, not equal to, the paper\'s preprocessing)')
    .action(async (file: string, o: { dryRun?: boolean; force?: boolean; threads?: string; quiet?: boolean; until?: string; allowInexactResampler?: boolean }) => {
      if (o.until !== undefined && !['extract', 'probe', 'fuse', 'report'].includes(o.until)) throw new UsageError(`--until must be extract, probe, fuse or report, got "${o.until}"`);
      if (o.threads !== undefined && !/^[1-9]\d*$/.test(o.threads)) throw new UsageError(`--threads must be a positive integer, got "${o.threads}"`);
      const exp = loadExperiment(file, {
        threads: o.threads ? Number(o.threads) : availableParallelism(), cacheDir: defaultCacheDir(process.env), allowInexactResampler: o.allowInexactResampler,
      });
      const log = o.quiet ? undefined : (line: string) => process.stderr.write(`bioprobe run: ${line}\n`);
      const t0 = performance.now();
      const summary = await runExperiment(exp, {
        stages: defaultStages({ progress: o.quiet ? undefined : process.stderr, notice: log }), log, force: o.force, dryRun: o.dryRun,
        until: o.until as 'extract' | 'probe' | 'fuse' | 'report' | undefined,
      });
      const ran = summary.outcomes.filter((s) => s.status === 'ran').length;
      const cached = summary.outcomes.filter((s) => s.status === 'cached').length;
      if (o.dryRun) {
        process.stdout.write(`${exp.name}: ${summary.outcomes.filter((s) => s.status === 'planned').length} stage(s) would run, ${cached} up to date\n`);
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
    });
});

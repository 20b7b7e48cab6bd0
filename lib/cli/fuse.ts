/** `bioprobe fuse`: parse options, call lib/fusion, print both variants. */
import type { Command } from 'commander';
import { fuseResults } from '../fusion/index.js';

/** Adds `bioprobe fuse` to the program. */
export function registerFuse(program: Command): void {
  program
    .command('fuse')
    .description("average the posteriors of each model's best layer (chosen on val UAR; also the paper's test-chosen variant)")
    .requiredOption('--results <dirs...>', 'results directories of `bioprobe probe` (same dataset and split)')
    .requiredOption('--out <dir>', 'results directory to write')
    .action((o: { results: string[]; out: string }) => {
      for (const f of fuseResults(o.results, o.out)) {
        const layers = f.members.map((m) => `${m.model}:${m.layer}`).join(' + ');
        const over = f.seeds > 1 ? `, means over ${f.seeds} seeds` : '';
        process.stdout.write(
          `${f.variant.padEnd(19)} test UAR ${f.test.uar.toFixed(4)}  val UAR ${f.val.uar.toFixed(4)}  (${layers}${over})\n`,
        );
      }
      process.stdout.write(`wrote ${o.out}\n`);
    });
}

/** `bioprobe report --results <dir>... --out <dir>`: parse, call lib/report, print. */
import type { Command } from 'commander';
import { writeReport } from '../report/index.js';

/** Adds `bioprobe report` to the program. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('render results directories as a paper: report.html (self-contained) and report.pdf')
    .requiredOption(
      '--results <dirs...>',
      'results directories (or folders holding them); class-recall, label-efficiency and cka.json folders found there add their figures',
    )
    .requiredOption('--out <dir>', 'output directory (report.html, report.pdf, figures/)')
    .option('--title <text>', 'title of the report (default: generated from the study)')
    .option('--notice <text>', 'a notice shown in a banner at the top (e.g. that the data are synthetic)')
    .option('--no-pdf', 'write only the HTML and figures')
    .action(async (o: { results: string[]; out: string; title?: string; notice?: string; pdf: boolean }) => {
      const r = await writeReport({ results: o.results, out: o.out, title: o.title, notice: o.notice, pdf: o.pdf });
      for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
      process.stdout.write(`wrote ${r.html}\n`);
      process.stdout.write(`wrote ${r.figures.length} figure(s) (SVG + Vega-Lite JSON) in ${o.out}/figures\n`);
      if (r.pdf) process.stdout.write(`wrote ${r.pdf}\n`);
      else if (r.pdfSkipped && o.pdf) process.stdout.write(`report.pdf not written: ${r.pdfSkipped}\n`);
    });
}

/** `bioprobe datasets stats|list <spec>`: Table I statistics of a dataset, or its items in order. */
import type { Command } from 'commander';
import { CLASSES_OPTION_HELP, datasetStats, formatStats, loadDataset, parseClassesOption, type Dataset } from '../datasets/index.js';
import { defaultCacheDir } from '../util/cache.js';
import { formatCsv } from '../util/csv.js';

const CLASSES_HELP = `${CLASSES_OPTION_HELP}; default: the dataset's (the paper's map for its datasets)`;

function load(spec: string, classes: string | undefined): Promise<Dataset> {
  return loadDataset(spec, { cacheDir: defaultCacheDir(process.env), classes: classes ? parseClassesOption(classes) : undefined });
}

/** Adds `bioprobe datasets` to the program. */
export function registerDatasets(program: Command): void {
  const datasets = program.command('datasets').description('inspect datasets');
  datasets
    .command('stats <spec>')
    .description("Table I's columns (samples, minutes, sample rates, classes, median/std length) and class counts")
    .option('--json', 'print JSON')
    .option('--classes <list|@file>', CLASSES_HELP)
    .action(async (spec: string, o: { json?: boolean; classes?: string }) => {
      const ds = await load(spec, o.classes);
      const stats = await datasetStats(ds);
      process.stdout.write(o.json ? JSON.stringify(stats, null, 2) + '\n' : formatStats(stats));
    });
  datasets
    .command('list <spec>')
    .description('the items in dataset order, as CSV (index,path,label,start,end,group); notes and skipped rows on stderr')
    .option('--classes <list|@file>', CLASSES_HELP)
    .action(async (spec: string, o: { classes?: string }) => {
      const ds = await load(spec, o.classes);
      process.stdout.write(formatCsv(['index', 'path', 'label', 'start', 'end', 'group'], ds.items));
      for (const n of ds.notes ?? []) process.stderr.write(`note: ${n}\n`);
      for (const r of ds.skipped ?? []) process.stderr.write(`skipped: ${r.file}${r.line ? ` line ${r.line}` : ''}: ${r.reason}\n`);
    });
}

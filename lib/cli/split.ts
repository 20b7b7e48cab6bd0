/** `bioprobe split`: write the split file (INTERFACE.md) for a dataset. */
import type { Command } from 'commander';
import { UsageError, DatasetError } from '../util/errors.js';
import { parseInteger } from '../util/options.js';
import { defaultCacheDir } from '../util/cache.js';
import {
  groupedSplit,
  loadDataset,
  paperSplit,
  parseClassesOption,
  CLASSES_OPTION_HELP,
  splitCounts,
  stratifiedSplit,
  writeSplitCsv,
  type SplitName,
} from '../datasets/index.js';

interface SplitCliOptions {
  dataset: string;
  out: string;
  seed: string;
  ratios: string;
  stratified?: boolean;
  grouped?: boolean;
  group?: boolean;
  classes?: string;
}

function parseRatios(s: string): number[] {
  const r = s.split(',').map((x) => (x.trim() === '' ? NaN : Number(x)));
  if (r.length !== 3 || r.some((x) => !Number.isFinite(x) || x < 0) || r[0] + r[1] + r[2] <= 0) {
    throw new UsageError(`--ratios must be three numbers >= 0 like 70,20,10, got "${s}"`);
  }
  return r;
}

/** Adds `bioprobe split` to the program. */
export function registerSplit(program: Command): void {
  program
    .command('split')
    .description("write a train/val/test split file: the paper's 70:20:10 over torch.randperm(N, seed), or stratified, or grouped")
    .requiredOption('--dataset <spec>', 'dataset spec (csv:, folder:, watkins:, imv:, abzaliev:, synthetic[:n])')
    .requiredOption('--out <split.csv>', 'split file to write (index,path,label,split)')
    .option('--seed <n>', 'generator seed', '42')
    .option('--ratios <train,val,test>', 'relative sizes', '70,20,10')
    .option('--stratified', 'apply the rule within each class')
    .option('--grouped', 'keep items that share a group (recording, individual) in one split')
    .option('--group', 'same as --grouped')
    .option('--classes <list|@file>', `${CLASSES_OPTION_HELP}; default: the dataset's (the paper's map for its datasets)`)
    .action(async (o: SplitCliOptions) => {
      const seed = parseInteger('--seed', o.seed, { max: 0xffffffff });
      const ratios = parseRatios(o.ratios);
      const grouped = Boolean(o.grouped || o.group);
      if (grouped && o.stratified) throw new UsageError('--stratified and --grouped cannot be combined');
      const ds = await loadDataset(o.dataset, {
        cacheDir: defaultCacheDir(process.env),
        classes: o.classes ? parseClassesOption(o.classes) : undefined,
      });
      let kind = 'paper';
      let split: SplitName[];
      if (grouped) {
        if (!ds.items.some((it) => it.group !== undefined)) {
          throw new DatasetError('no-groups', `dataset ${ds.spec} has no groups`, {
            hint: 'add a group column to the CSV, or drop --grouped',
          });
        }
        kind = 'grouped';
        split = groupedSplit(
          ds.items.map((it) => it.group),
          { seed, ratios },
        );
      } else if (o.stratified) {
        kind = 'stratified';
        split = stratifiedSplit(
          ds.items.map((it) => it.label),
          { seed, ratios },
        );
      } else {
        split = paperSplit(ds.items.length, { seed, ratios });
      }
      writeSplitCsv(o.out, ds, split);
      const c = splitCounts(split);
      process.stdout.write(
        `${o.out}: ${ds.items.length} items, train ${c.train} / val ${c.val} / test ${c.test} (${kind} split, seed ${seed}, ratios ${ratios.join(':')})\n`,
      );
    });
}

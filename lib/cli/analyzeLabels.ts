/** `bioprobe analyze label-efficiency`: parse options, call lib/analysis runLabelEfficiency, print the curve. */
import type { Command } from 'commander';
import { DEFAULT_SHOTS, labelEfficiencyCurve, parseShots, runLabelEfficiency } from '../analysis/index.js';
import { parseInteger, parseOptionalInteger } from '../util/options.js';

interface LabelsCliOptions {
  features: string;
  out: string;
  results?: string;
  layer?: string;
  shots: string;
  seeds?: string;
  seed?: string;
  split?: string;
  retrainAll?: boolean;
  threads?: string;
  quiet?: boolean;
}

/** Adds `label-efficiency` to the `bioprobe analyze` command. */
export function registerAnalyzeLabels(analyze: Command): void {
  analyze
    .command('label-efficiency')
    .description(
      'test UAR against labelled train clips per class (nested stratified subsets, several seeds) for one layer; writes label_efficiency.csv',
    )
    .requiredOption('--features <dir>', 'features directory of the model')
    .requiredOption('--out <dir>', 'folder to write (label_efficiency.csv, manifest.json)')
    .option(
      '--results <dir>',
      '`bioprobe probe` results of these features: its best validation layer, protocol, seeds and split; its rows are the "all" point',
    )
    .option('--layer <n>', "the layer to use instead of the results' best validation layer")
    .option('--shots <list>', 'train clips per class, increasing, optionally ending in all', DEFAULT_SHOTS.join(','))
    .option('--seeds <k>', "number of seeds (each picks the subsets, the probe init and batches); default: the results' seeds, else 3")
    .option('--seed <n>', "first seed; default: the results' first seed, else 0")
    .option('--split <split.csv>', "split file (default: the results' split.csv, else the paper split)")
    .option('--retrain-all', 'train the "all" point here instead of reusing the results\' rows')
    .option('--threads <n>', 'points trained in parallel, one thread each (results do not depend on it)', '1')
    .option('--quiet', 'no progress lines')
    .action(async (o: LabelsCliOptions) => {
      const r = await runLabelEfficiency({
        features: o.features,
        out: o.out,
        results: o.results,
        layer: parseOptionalInteger('--layer', o.layer),
        shots: parseShots('--shots', o.shots),
        seeds: parseOptionalInteger('--seeds', o.seeds, { min: 1 }),
        seed: parseOptionalInteger('--seed', o.seed),
        split: o.split,
        retrainAll: !!o.retrainAll,
        threads: parseInteger('--threads', o.threads ?? '1', { min: 1 }),
        onProgress: o.quiet ? undefined : (line) => process.stderr.write(line + '\n'),
      });
      process.stdout.write(
        `${r.manifest.model} layer ${r.manifest.layer} (${r.manifest.layer_from}), ${r.manifest.seeds.length} seed(s)\n`,
      );
      process.stdout.write('shots  train clips  test UAR (mean ± std)  val UAR\n');
      for (const c of labelEfficiencyCurve(r.rows)) {
        process.stdout.write(
          `${String(c.shots).padStart(5)}  ${String(Math.round(c.train_clips)).padStart(11)}  ${c.test_uar_mean.toFixed(4)} ± ${c.test_uar_std.toFixed(4)}        ${c.val_uar_mean.toFixed(4)}\n`,
        );
      }
      process.stdout.write(
        `wrote ${r.out} (${r.trained} point(s) trained, "all" ${r.manifest.all_from === 'results' ? 'from the results folder' : 'retrained'}) in ${r.manifest.seconds.toFixed(1)} s\n`,
      );
    });
}

/** `bioprobe probe` and `bioprobe compare`: parse options, call lib/probe, print a summary. */
import type { Command } from 'commander';
import { DEVICES } from '../runtime/device.js';
import { parseChoice, parseInteger, parseOptionalInteger } from '../util/options.js';
import { CLASSES_OPTION_HELP, parseClassesOption } from '../datasets/classes.js';
import { DEFAULT_PROTOCOL, SELECTIONS, compareResults, parseLayers, runProbe, runWeightedProbe } from '../probe/index.js';
import { UsageError } from '../util/errors.js';
import { UAR_CLASSES } from '../results/index.js';

interface ProbeCliOptions {
  features: string;
  out: string;
  split?: string;
  layers?: string;
  seed: string;
  seeds: string;
  select: string;
  uarClasses: string;
  threads?: string;
  device: string;
  memory: string;
  stack?: string;
  epochs?: string;
  quiet?: boolean;
  classes?: string;
  weighted?: boolean;
}

/** Adds `bioprobe probe` to the program. */
export function registerProbe(program: Command): void {
  program
    .command('probe')
    .description("train the paper's MLP probe on every layer's features and score UAR (all layers of a stack in one ONNX graph)")
    .requiredOption('--features <dir>', 'features directory (manifest.json, clips.csv, layer_XX.npy)')
    .requiredOption('--out <dir>', 'results directory to write')
    .option('--split <split.csv>', 'split file (default: the paper split, seed 42, 70:20:10 over clips.csv)')
    .option('--layers <list>', 'layers to probe, e.g. 0-12 or 0,6,12 (default: all)')
    .option('--classes <list|@file>', `${CLASSES_OPTION_HELP}; default: the features' classes.json`)
    .option('--seed <n>', 'first seed (initialisation and shuffling)', '12345')
    .option('--seeds <k>', 'number of seeds: seed .. seed+k-1', '1')
    .option('--select <which>', "weights that score val/test: best-val (best validation UAR) or last (the paper's code)", 'best-val')
    .option(
      '--uar-classes <which>',
      "classes UAR averages over: present (tp+fp+fn > 0; torchmetrics >= 1.0) or all (absent ones count 0; torchmetrics 0.11, the paper's environment)",
      'present',
    )
    .option('--threads <n>', 'CPU threads in all (default: all cores); stacks of layers train in parallel, one per thread')
    .option('--device <cpu|cuda>', 'execution provider', 'cpu')
    .option('--memory <MiB>', 'memory budget for the features of the stacks in training at once', '4096')
    .option(
      '--stack <n>',
      'most layers trained together in one graph (default: 1 for 1536-dim features on the CPU, more for small dims; all on CUDA)',
    )
    .option('--epochs <n>', 'maximum epochs (protocol: 30)')
    .option('--quiet', 'no progress lines (per-epoch lines appear only on a terminal)')
    .option(
      '--weighted',
      'instead of one probe per layer, one probe on a learned softmax-weighted mix of all (or --layers) layers (docs/PROTOCOL.md); --threads, --memory and --stack do not apply',
    )
    .action(async (o: ProbeCliOptions) => {
      const select = parseChoice('--select', o.select, SELECTIONS);
      const device = parseChoice('--device', o.device, DEVICES);
      const uarClasses = parseChoice('--uar-classes', o.uarClasses, UAR_CLASSES);
      const protocol = {
        ...DEFAULT_PROTOCOL,
        select,
        uarClasses,
        epochs: parseOptionalInteger('--epochs', o.epochs, { min: 1 }) ?? DEFAULT_PROTOCOL.epochs,
      };
      const progress = o.quiet
        ? undefined
        : (m: string, kind: 'run' | 'epoch') => {
            if (kind === 'run' || process.stderr.isTTY) process.stderr.write(m + '\n');
          };
      // what the layer probes and the weighted probe take alike
      const common = {
        features: o.features,
        out: o.out,
        split: o.split,
        classes: o.classes ? parseClassesOption(o.classes) : undefined,
        layers: o.layers ? parseLayers(o.layers) : undefined,
        seed: parseInteger('--seed', o.seed),
        seeds: parseInteger('--seeds', o.seeds, { min: 1 }),
        protocol,
        device,
        // per-epoch lines only on a terminal; CI logs get a few lines per stack
        onProgress: progress,
      };
      if (o.weighted) {
        const unused = (['threads', 'stack'] as const).filter((k) => o[k] !== undefined);
        if (unused.length > 0)
          throw new UsageError(`--weighted trains one probe over all layers: ${unused.map((k) => `--${k}`).join(', ')} do not apply`);
        const w = await runWeightedProbe(common);
        const s = w.summary;
        process.stdout.write(
          `all layers (weighted), layers ${w.layers.join(',')}: test UAR ${s.test_uar_mean.toFixed(4)} ± ${s.test_uar_std.toFixed(4)}  95% CI [${s.test_uar_ci_low.toFixed(4)}, ${s.test_uar_ci_high.toFixed(4)}]  val UAR ${s.val_uar_mean.toFixed(4)} (${s.seeds} seed(s))\n`,
        );
        process.stdout.write(
          `layer weights (mean over seeds): ${w.layers.map((l, i) => `${l}:${w.weights.mean[i].toFixed(3)}`).join(' ')}\n`,
        );
        process.stdout.write(`wrote ${o.out}\n`);
        return;
      }
      const r = await runProbe({
        ...common,
        threads: parseOptionalInteger('--threads', o.threads, { min: 1 }),
        memoryBudget: parseInteger('--memory', o.memory, { min: 1 }) * 1024 * 1024,
        stack: parseOptionalInteger('--stack', o.stack, { min: 1 }),
      });
      process.stdout.write('layer  test UAR (mean ± std)  95% CI           val UAR\n');
      for (const s of r.summary) {
        process.stdout.write(
          `${String(s.layer).padStart(5)}  ${s.test_uar_mean.toFixed(4)} ± ${s.test_uar_std.toFixed(4)}    [${s.test_uar_ci_low.toFixed(4)}, ${s.test_uar_ci_high.toFixed(4)}]  ${s.val_uar_mean.toFixed(4)}\n`,
        );
      }
      process.stdout.write(`wrote ${r.out} in ${r.seconds.toFixed(1)} s\n`);
    });

  program
    .command('compare')
    .description("is model A's best layer (chosen on val UAR) better than model B's? paired bootstrap and McNemar on the same test clips")
    .requiredOption('--a <dir>', 'results directory of model A')
    .requiredOption('--b <dir>', 'results directory of model B')
    .option('--resamples <n>', 'bootstrap resamples', '2000')
    .option('--json', 'print JSON')
    .action((o: { a: string; b: string; resamples: string; json?: boolean }) => {
      const r = compareResults(o.a, o.b, { resamples: parseInteger('--resamples', o.resamples, { min: 1 }) });
      if (o.json) {
        process.stdout.write(JSON.stringify(r, null, 2) + '\n');
        return;
      }
      process.stdout.write(`A ${r.a.model} layer ${r.a.layer}: test UAR ${r.a.testUar.toFixed(4)} (val ${r.a.valUar.toFixed(4)})\n`);
      process.stdout.write(`B ${r.b.model} layer ${r.b.layer}: test UAR ${r.b.testUar.toFixed(4)} (val ${r.b.valUar.toFixed(4)})\n`);
      process.stdout.write(
        `A - B = ${r.bootstrap.diff.toFixed(4)}, 95% CI [${r.bootstrap.low.toFixed(4)}, ${r.bootstrap.high.toFixed(4)}], paired bootstrap p = ${r.bootstrap.p.toFixed(4)} (seed means: ${r.seeds.a} seed(s) of A, ${r.seeds.b} of B)\n`,
      );
      process.stdout.write(
        `McNemar (first seeds): A right/B wrong ${r.mcnemar.b}, A wrong/B right ${r.mcnemar.c}, exact p = ${r.mcnemar.p.toFixed(4)} (${r.clips} test clips)\n`,
      );
    });
}

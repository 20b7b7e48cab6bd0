/**
 * `bioprobe analyze <what>`: the analyses made from results and features folders (lib/analysis).
 * `analyze recall` (per-class recall by layer) and `analyze cka` (layer similarity) live here;
 * `analyze label-efficiency` in analyzeLabels.ts; ANALYZE_COMMANDS lists them.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import {
  CKA_CSV,
  CKA_FILE,
  DEFAULT_RECALL_THRESHOLD,
  classRecall,
  layerSimilarity,
  writeCka,
  writeCkaCsv,
  writeClassRecall,
  type CkaMode,
  type FeaturesInput,
} from '../analysis/index.js';
import { parseLayers } from '../probe/index.js';
import { UsageError } from '../util/errors.js';
import { parseChoice, parseInteger, parseOptionalInteger } from '../util/options.js';
import { Warnings } from '../util/warnings.js';
import { registerAnalyzeLabels } from './analyzeLabels.js';

/** A number in (lo, hi] from an option. */
function parseFraction(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const v = /^\s*[0-9.eE+-]+\s*$/.test(value) ? Number(value) : NaN;
  if (!(v > 0 && v <= 1)) throw new UsageError(`${name} must be a number in (0, 1], got "${value}"`);
  return v;
}

function registerRecall(analyze: Command): void {
  analyze
    .command('recall')
    .description(
      "per-class test recall of every layer of a probe's results folder (mean and std over seeds), classes ordered by the best layer's recall",
    )
    .requiredOption('--results <dir>', 'results directory of `bioprobe probe` (confusion/layer_XX.test.json)')
    .requiredOption('--out <dir>', 'folder to write class_recall.csv and manifest.json into')
    .option(
      '--threshold <r>',
      `a class no layer separates stays below this mean test recall at every layer (default ${DEFAULT_RECALL_THRESHOLD})`,
    )
    .action((o: { results: string; out: string; threshold?: string }) => {
      const warnings = new Warnings();
      const r = classRecall(o.results, { threshold: parseFraction('--threshold', o.threshold), warnings });
      writeClassRecall(o.out, r);
      for (const w of warnings.list) process.stderr.write(`warning: ${w}\n`);
      process.stdout.write(
        `${r.model} on ${r.dataset}: ${r.class_order.length} classes x ${r.layers.length} layers, ${r.seeds.length} seed(s); best layer ${r.best_layer} (on ${r.best_layer_by} UAR)\n`,
      );
      process.stdout.write(
        r.unseparated.length === 0
          ? `every class reaches mean test recall ${r.threshold} at some layer\n`
          : `no layer reaches mean test recall ${r.threshold} for: ${r.unseparated.map((u) => `${u.class} (best ${u.best_recall.toFixed(3)} at layer ${u.best_layer})`).join(', ')}\n`,
      );
      process.stdout.write(`wrote ${o.out}\n`);
    });
}

interface CkaCli {
  features: string[];
  name?: string[];
  out: string;
  layers?: string;
  mode: string;
  exactMethod: string;
  standardize?: boolean;
  rank?: string;
  oversample?: string;
  iterations?: string;
  bound: string;
  threads?: string;
  memory?: string;
  quiet?: boolean;
}

function registerCka(analyze: Command): void {
  analyze
    .command('cka')
    .description('linear CKA between every pair of layers across models of one dataset, on the clips usable in all (docs/ANALYSIS.md)')
    .requiredOption('--features <dirs...>', 'features folders (one per model, same dataset)')
    .requiredOption('--out <dir>', 'folder to write cka.json and cka.csv into')
    .option('--name <names...>', "display names of the models, in --features order (default: the manifests' model ids)")
    .option('--layers <list>', 'layers to compare in every model, e.g. 0-12 or 0,6,12 (default: all)')
    .option('--mode <mode>', 'exact, lowrank (guaranteed interval per value) or auto (exact when cheap enough)', 'auto')
    .option('--exact-method <m>', 'exact form: auto, sample-space or feature-space', 'auto')
    .option('--standardize', 'z-score each feature dimension first, as the probe does (default: raw pooled features)')
    .option('--rank <n>', 'low-rank: most basis vectors per layer (default 64)')
    .option('--oversample <n>', 'low-rank: extra vectors beyond --rank (default 16)')
    .option('--iterations <n>', 'low-rank: subspace iteration steps (default 4)')
    .option('--bound <kind>', 'low-rank residual bound: gram (tight) or trace (cheap)', 'gram')
    .option('--threads <n>', 'onnxruntime threads (default: one per core)')
    .option('--memory <MiB>', 'memory for accumulators and buffers (default 6144)')
    .option('--quiet', 'no progress lines')
    .action(async (o: CkaCli) => {
      if (o.name && o.name.length !== o.features.length)
        throw new UsageError(`--name gives ${o.name.length} name(s) for ${o.features.length} features folder(s)`);
      const features: FeaturesInput[] = o.features.map((dir, i) => ({ dir, name: o.name?.[i] }));
      const r = await layerSimilarity({
        features,
        layers: o.layers ? parseLayers(o.layers) : undefined,
        mode: parseChoice('--mode', o.mode, ['auto', 'exact', 'lowrank'] as CkaMode[]),
        exactMethod: parseChoice('--exact-method', o.exactMethod, ['auto', 'sample-space', 'feature-space'] as const),
        standardize: o.standardize === true,
        bound: parseChoice('--bound', o.bound, ['gram', 'trace'] as const),
        rank: parseOptionalInteger('--rank', o.rank, { min: 1 }),
        oversample: parseOptionalInteger('--oversample', o.oversample, { min: 0 }),
        iterations: parseOptionalInteger('--iterations', o.iterations, { min: 0 }),
        threads: parseOptionalInteger('--threads', o.threads, { min: 1 }),
        memoryMiB: o.memory === undefined ? undefined : parseInteger('--memory', o.memory, { min: 1 }),
        onProgress: o.quiet ? undefined : (m) => process.stderr.write(m + '\n'),
      });
      mkdirSync(o.out, { recursive: true });
      writeCka(join(o.out, CKA_FILE), r);
      writeCkaCsv(join(o.out, CKA_CSV), r);
      process.stdout.write(
        `${r.models.map((m) => `${m.name} (${m.layers.length} layers)`).join(', ')}: ${r.pairs.length} pair(s), ${r.mode} (${r.method}), ${r.clips.used} clips in ${r.cost.seconds.toFixed(1)} s\n`,
      );
      process.stdout.write(`wrote ${join(o.out, CKA_FILE)} and ${CKA_CSV}\n`);
    });
}

/** The subcommands of `analyze`, in --help order; another analysis appends its register function here. */
export const ANALYZE_COMMANDS: ((analyze: Command) => void)[] = [registerRecall, registerAnalyzeLabels, registerCka];

/** Adds `bioprobe analyze` and its subcommands to the program. */
export function registerAnalyze(program: Command): void {
  const analyze = program
    .command('analyze')
    .description('analyses beyond the paper: per-class recall by layer, label efficiency, layer similarity (CKA)');
  for (const register of ANALYZE_COMMANDS) register(analyze);
}

/** `bioprobe datasets stats|list <spec>`: Table I statistics of a dataset, or its items in order. */
import type { Command } from 'commander';
import { csvCell, datasetStats, formatStats, loadDataset, type LengthProbe } from '../datasets/index.js';
import { defaultCacheDir } from '../util/cache.js';
import { readAudio } from '../audio/index.js';

/** For files whose header does not state a length (bare MP3, compressed WAV without fact): decode them. */
const decodeLength: LengthProbe = async (path) => {
  const a = await readAudio(path);
  return { sampleRate: a.sampleRate, frames: a.samples.length };
};

/** Adds `bioprobe datasets` to the program. */
export function registerDatasets(program: Command): void {
  const datasets = program.command('datasets').description('inspect datasets');
  datasets
    .command('stats <spec>')
    .description("Table I's columns (samples, minutes, sample rates, classes, median/std length) and class counts")
    .option('--json', 'print JSON')
    .action(async (spec: string, o: { json?: boolean }) => {
      const ds = await loadDataset(spec, { cacheDir: defaultCacheDir(process.env) });
      const stats = await datasetStats(ds, { probe: decodeLength });
      process.stdout.write(o.json ? JSON.stringify(stats, null, 2) + '\n' : formatStats(stats));
    });
  datasets
    .command('list <spec>')
    .description('the items in dataset order, as CSV (index,path,label,start,end,group)')
    .action(async (spec: string) => {
      const ds = await loadDataset(spec, { cacheDir: defaultCacheDir(process.env) });
      const lines = ['index,path,label,start,end,group'];
      for (const it of ds.items) lines.push([it.index, csvCell(it.path), csvCell(it.label), csvCell(it.start), csvCell(it.end), csvCell(it.group)].join(','));
      process.stdout.write(lines.join('\n') + '\n');
    });
}

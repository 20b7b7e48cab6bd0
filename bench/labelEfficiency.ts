/**
 * bench:labels — a label-efficiency curve (1, 2, 4, 8, 16, 32 clips per class and all; seeds as the
 * probe run) against one full-data probe run of the same layer with the same seeds (issue 14's target:
 * the curve in <= 3x that run's time).
 *
 *   npm run bench:labels -- [--clips 72920] [--classes 10] [--seeds 3] [--threads 1] [--epochs 30]
 *                           [--shots 1,2,4,8,16,32,all] [--retrain-all] [--keep] [--dir /tmp/x]
 *
 * Features: bench/probe.ts's IMV-like case (bench/common.ts: writeSyntheticFeatures, 1536 dims = the
 * best layer's 2 x 768 pooled, 30 % label noise, seed 7) with the IMV caller task's 10 classes and one
 * layer (a one-layer synthetic folder is the generator's peak-separation layer). Both commands run as
 * child processes (bin/bioprobe.js: the compiled CLI when dist/ is fresh, else the sources via tsx) under
 * /usr/bin/time, paper split, protocol defaults (best-val, <= 30 epochs, early stopping):
 *   probe: `bioprobe probe --features F --out R --seeds S --threads T --quiet`
 *   curve: `bioprobe analyze label-efficiency --features F --results R --out O --threads T --quiet`
 * The curve reuses R's rows for `all` (no retraining) unless --retrain-all. The machine may be shared:
 * CPU seconds are the steadier comparison when others load it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeSyntheticFeatures } from '../lib/probe/synthetic.js';
import { CASES, DIM, SYNTHETIC, timed } from './common.js';

const { values: o } = parseArgs({
  options: {
    clips: { type: 'string', default: String(CASES.imv.n) },
    classes: { type: 'string', default: '10' },
    seeds: { type: 'string', default: '3' },
    threads: { type: 'string', default: '1' },
    epochs: { type: 'string', default: '30' },
    shots: { type: 'string', default: '1,2,4,8,16,32,all' },
    'retrain-all': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    dir: { type: 'string' },
  },
});
const n = Number(o.clips);
const classes = Number(o.classes);
const root = o.dir ?? mkdtempSync(join(tmpdir(), 'bioprobe-bench-labels-'));
const feats = join(root, `features-${n}x${classes}`);
if (!existsSync(join(feats, 'manifest.json'))) {
  const t = Date.now();
  writeSyntheticFeatures(feats, { ...SYNTHETIC, n, classes, layers: 1 });
  console.error(`wrote ${n} x ${DIM} x 1 synthetic features in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
const results = join(root, 'probe');
const curve = join(root, 'curve');
rmSync(results, { recursive: true, force: true });
rmSync(curve, { recursive: true, force: true });
const row: Record<string, string | number> = {
  clips: n,
  classes,
  dim: DIM,
  seeds: Number(o.seeds),
  threads: Number(o.threads),
  load_avg_start: +loadavg()[0].toFixed(1),
};
const probe = timed(process.execPath, [
  'bin/bioprobe.js',
  'probe',
  '--features',
  feats,
  '--out',
  results,
  '--seeds',
  o.seeds!,
  '--threads',
  o.threads!,
  '--epochs',
  o.epochs!,
  '--memory',
  '16384',
  '--quiet',
]);
const test = readFileSync(join(results, 'results.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(','))
  .filter((r) => r[4] === 'test');
Object.assign(row, {
  probe_wall_s: probe.wall,
  probe_cpu_s: +probe.cpu.toFixed(1),
  probe_rss_mb: Math.round(probe.rssMB),
  probe_epochs: test.map((r) => r[7]).join('/'),
  probe_test_uar: +(test.reduce((a, r) => a + Number(r[5]), 0) / test.length).toFixed(4),
});
console.error(`probe (1 layer, ${o.seeds} seeds): ${probe.wall.toFixed(1)} s wall, ${probe.cpu.toFixed(1)} s CPU`);
const c = timed(process.execPath, [
  'bin/bioprobe.js',
  'analyze',
  'label-efficiency',
  '--features',
  feats,
  '--results',
  results,
  '--out',
  curve,
  '--shots',
  o.shots!,
  '--threads',
  o.threads!,
  '--quiet',
  ...(o['retrain-all'] ? ['--retrain-all'] : []),
]);
Object.assign(row, {
  curve_wall_s: c.wall,
  curve_cpu_s: +c.cpu.toFixed(1),
  curve_rss_mb: Math.round(c.rssMB),
  curve_vs_probe_wall: +(c.wall / probe.wall).toFixed(3),
  curve_vs_probe_cpu: +(c.cpu / probe.cpu).toFixed(3),
});
console.error(
  `curve: ${c.wall.toFixed(1)} s wall, ${c.cpu.toFixed(1)} s CPU (${(c.wall / probe.wall).toFixed(2)}x the probe run's wall time)`,
);
// mean test UAR per point, from the curve's own file
const lines = readFileSync(join(curve, 'label_efficiency.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(','));
const byShot = new Map<string, number[]>();
for (const l of lines) byShot.set(l[3], [...(byShot.get(l[3]) ?? []), Number(l[7])]);
row.curve_test_uar = [...byShot].map(([k, v]) => `${k}:${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(3)}`).join(' ');
row.load_avg_end = +loadavg()[0].toFixed(1);
process.stdout.write(c.stdout);
console.log(JSON.stringify(row, null, 2));
if (!o.keep && !o.dir) rmSync(root, { recursive: true, force: true });

/**
 * One weighted-probe run (lib/probe/weighted.ts) as a child process of bench/probe.ts --weighted, so the
 * parent can time it and read its peak RSS like a `bioprobe probe` run. Prints one JSON line.
 *   node --import tsx bench/weightedRun.ts --features F --out R [--epochs 30] [--select last] [--seed 12345]
 */
import { parseArgs } from 'node:util';
import { DEFAULT_PROTOCOL, SELECTIONS, type Selection } from '../lib/probe/protocol.js';
import { runWeightedProbe } from '../lib/probe/weighted.js';

const { values: o } = parseArgs({
  options: {
    features: { type: 'string' },
    out: { type: 'string' },
    epochs: { type: 'string', default: '30' },
    select: { type: 'string', default: 'last' },
    seed: { type: 'string', default: '12345' },
  },
});
if (!o.features || !o.out) throw new Error('usage: weightedRun.ts --features F --out R [--epochs N] [--select last|best-val] [--seed S]');
if (!SELECTIONS.includes(o.select as Selection)) throw new Error(`--select: ${SELECTIONS.join(' or ')}`);
const r = await runWeightedProbe({
  features: o.features,
  out: o.out,
  seed: Number(o.seed),
  seeds: 1,
  protocol: { ...DEFAULT_PROTOCOL, epochs: Number(o.epochs), select: o.select as Selection },
});
const [s] = r.seeds;
console.log(
  JSON.stringify({
    seconds: r.seconds,
    train_seconds: s.seconds,
    epochs: s.epochs,
    test_uar: s.test.uar,
    weights: s.weights,
    feature_bytes: r.featureBytes,
  }),
);

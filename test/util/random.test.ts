import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy } from '../../lib/util/npy.js';
import { torchRandperm } from '../../lib/util/random.js';
import { paperSplit, splitSizes } from '../../lib/datasets/split.js';

const FIX = 'test/fixtures/randperm';

test('torchRandperm equals committed torch.randperm outputs bit-exactly (several N and seeds)', () => {
  const files = readdirSync(FIX).filter((f) => f.startsWith('perm_'));
  assert.ok(files.length >= 9, 'fixtures present');
  for (const f of files) {
    const [, seed, n] = /^perm_seed(\d+)_n(\d+)\.npy$/.exec(f)!.map(Number);
    const ref = readNpy(join(FIX, f));
    assert.deepEqual(ref.shape, [n]);
    const got = torchRandperm(n, seed);
    for (let i = 0; i < n; i++) if (got[i] !== ref.data[i]) assert.fail(`${f}: index ${i}: ${got[i]} != ${ref.data[i]}`);
  }
});

interface Case {
  n: number;
  seed: number;
  ratios: number[];
  lengths: number[];
  membership: string;
}

test("paperSplit equals torch's random_split membership (70:20:10 and other ratios)", () => {
  const { cases } = JSON.parse(readFileSync(join(FIX, 'splits.json'), 'utf8')) as { cases: Case[] };
  assert.ok(cases.length >= 10);
  const code = { train: '0', val: '1', test: '2' } as const;
  for (const c of cases) {
    assert.deepEqual(splitSizes(c.n, c.ratios), c.lengths, `sizes n=${c.n} ratios=${c.ratios}`);
    const got = paperSplit(c.n, { seed: c.seed, ratios: c.ratios })
      .map((s) => code[s])
      .join('');
    assert.equal(got, c.membership, `membership n=${c.n} seed=${c.seed} ratios=${c.ratios}`);
  }
});

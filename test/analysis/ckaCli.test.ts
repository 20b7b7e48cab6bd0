/**
 * `bioprobe analyze cka` end to end on the CKA fixture folders: cka.json's values equal numpy's
 * (test/fixtures/analysis/cka/reference.json) to 1e-9 in exact mode, options reach layerSimilarity
 * (--standardize, --layers, --name), cka.csv is written, and bad arguments exit 1 with one line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCka } from '../../lib/analysis/index.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'analysis', 'cka');
const ref = JSON.parse(readFileSync(join(FIX, 'reference.json'), 'utf8')) as { layers: [string, number][]; standardized: number[][] };
const tmp = mkdtempSync(join(tmpdir(), 'bioprobe-cka-cli-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

function runCli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('analyze cka writes cka.json (numpy values to 1e-9) and cka.csv', () => {
  const out = join(tmp, 'out');
  const r = runCli([
    'analyze',
    'cka',
    '--features',
    join(FIX, 'alpha'),
    join(FIX, 'beta'),
    '--name',
    'A',
    'B',
    '--layers',
    '0,2',
    '--mode',
    'exact',
    '--standardize',
    '--threads',
    '1',
    '--quiet',
    '--out',
    out,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /A \(2 layers\), B \(2 layers\): 3 pair\(s\), exact/);
  const res = readCka(join(out, 'cka.json'));
  assert.equal(res.standardize, true);
  assert.deepEqual(
    res.models.map((m) => [m.name, m.layers]),
    [
      ['A', [0, 2]],
      ['B', [0, 2]],
    ],
  );
  const idx = (m: string, l: number) => ref.layers.findIndex(([rm, rl]) => rm === m && rl === l);
  const ab = res.pairs.find((p) => p.a === 'A' && p.b === 'B')!;
  for (const [x, la] of [0, 2].entries()) {
    for (const [y, lb] of [0, 2].entries()) {
      const want = ref.standardized[idx('alpha', la)][idx('beta', lb)];
      assert.ok(Math.abs(ab.cka[x * 2 + y] - want) <= 1e-9, `A${la} x B${lb}: ${ab.cka[x * 2 + y]} vs numpy ${want}`);
    }
  }
  const csv = readFileSync(join(out, 'cka.csv'), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'model_a,layer_a,model_b,layer_b,cka,lower,upper');
  assert.ok(existsSync(join(out, 'cka.json')));
});

test('analyze cka: a wrong --name count is a usage error on one line', () => {
  const r = runCli(['analyze', 'cka', '--features', join(FIX, 'alpha'), join(FIX, 'beta'), '--name', 'A', '--out', join(tmp, 'x')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^bioprobe: --name gives 1 name\(s\) for 2 features folder\(s\)\n$/);
});

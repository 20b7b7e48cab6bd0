/**
 * Linear CKA (lib/analysis) against numpy's textbook computation (tools/make_cka_reference.py: K = Xc Xcᵀ
 * in float64 on the same float32 features, test/fixtures/analysis/cka/reference.json).
 * Tolerances: exact modes 1e-9 (float64 products of the same float32 inputs); low-rank mode at full
 * rank 1e-6 (float32 products); low-rank at lower rank: the reference inside every recorded interval.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ckaCsv,
  ckaMatrix,
  layerSimilarity,
  readCka,
  writeCka,
  type LayerSimilarity,
  type LayerSimilarityOptions,
} from '../../lib/analysis/index.js';
import { BioprobeError } from '../../lib/util/errors.js';
import { readNpy, writeNpy } from '../../lib/util/npy.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'analysis', 'cka');
const ref = JSON.parse(readFileSync(join(FIX, 'reference.json'), 'utf8')) as {
  raw: number[][];
  standardized: number[][];
  layers: [string, number][];
  clips_used: number;
};
const features = ['alpha', 'beta', 'gamma'].map((m) => ({ dir: join(FIX, m) }));
const tmp = mkdtempSync(join(tmpdir(), 'bioprobe-cka-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

/** Every (reference index a, reference index b) with the result's value and interval. */
function* cells(res: LayerSimilarity): Generator<{ i: number; j: number; v: number; lo?: number; hi?: number }> {
  const index = (m: string, l: number) => ref.layers.findIndex(([rm, rl]) => rm === m && rl === l);
  for (const m of res.models) {
    for (const k of res.models) {
      const pair = ckaMatrix(res, m.name, k.name);
      for (let x = 0; x < pair.rows; x++) {
        for (let y = 0; y < pair.cols; y++) {
          const t = x * pair.cols + y;
          yield { i: index(m.name, m.layers[x]), j: index(k.name, k.layers[y]), v: pair.cka[t], lo: pair.lower?.[t], hi: pair.upper?.[t] };
        }
      }
    }
  }
}

async function run(extra: Partial<LayerSimilarityOptions>): Promise<LayerSimilarity> {
  return layerSimilarity({ features, threads: 1, blockRows: 50, ...extra });
}

for (const standardize of [false, true]) {
  const want = standardize ? ref.standardized : ref.raw;
  const tag = standardize ? 'standardised' : 'raw';

  for (const exactMethod of ['sample-space', 'feature-space'] as const) {
    test(`exact ${exactMethod} CKA (${tag}) equals numpy's to 1e-9, over the 236 clips usable in every model`, async () => {
      // memoryMiB 1 cuts the feature-space form into tiles of 5 layers (3 tiles, one off the diagonal)
      const res = await run({ mode: 'exact', exactMethod, standardize, memoryMiB: exactMethod === 'feature-space' ? 1 : 64 });
      assert.equal(res.mode, 'exact');
      assert.equal(res.method, exactMethod);
      assert.deepEqual(res.clips, { total: 240, used: ref.clips_used, excluded: 4 });
      let n = 0;
      for (const c of cells(res)) {
        assert.ok(Math.abs(c.v - want[c.i][c.j]) <= 1e-9, `${ref.layers[c.i]} vs ${ref.layers[c.j]}: ${c.v} vs numpy ${want[c.i][c.j]}`);
        n++;
      }
      assert.equal(n, 64);
    });
  }

  for (const bound of ['gram', 'trace'] as const)
    test(`low-rank CKA at full rank, ${bound} bound (${tag}) equals numpy's to 1e-6 and its intervals hold it`, async () => {
      const res = await run({ mode: 'lowrank', rank: 48, standardize, bound });
      assert.equal(res.method, 'lowrank');
      assert.ok(res.lowrank!.maxError < 2e-5, `maxError ${res.lowrank!.maxError}`);
      for (const l of res.lowrank!.layers) assert.ok(l.residualNorm < 1e-5, `${l.model}/${l.layer} residual ${l.residualNorm}`);
      for (const c of cells(res)) {
        assert.ok(Math.abs(c.v - want[c.i][c.j]) <= 1e-6, `${ref.layers[c.i]} vs ${ref.layers[c.j]}: ${c.v} vs ${want[c.i][c.j]}`);
        assert.ok(c.lo! <= want[c.i][c.j] + 1e-12 && want[c.i][c.j] <= c.hi! + 1e-12);
      }
    });

  for (const [rank, bound] of [
    [2, 'gram'],
    [5, 'gram'],
    [10, 'gram'],
    [3, 'trace'],
    [10, 'trace'],
  ] as const) {
    test(`low-rank CKA at rank ${rank}, ${bound} bound (${tag}): numpy's exact value lies in every recorded interval`, async () => {
      const res = await run({ mode: 'lowrank', rank, standardize, bound });
      assert.equal(res.lowrank!.bound, bound);
      const { maxError, layers } = res.lowrank!;
      assert.ok(layers.every((l) => l.rank === rank && l.residualNorm >= 0 && l.residualVariance >= 0 && l.angle >= 0));
      let worst = 0;
      for (const c of cells(res)) {
        const exact = want[c.i][c.j];
        assert.ok(
          c.lo! - 1e-12 <= exact && exact <= c.hi! + 1e-12,
          `${ref.layers[c.i]} vs ${ref.layers[c.j]}: ${exact} outside [${c.lo}, ${c.hi}] (rank ${rank})`,
        );
        assert.ok(c.lo! <= c.v && c.v <= c.hi!);
        worst = Math.max(worst, Math.abs(c.v - exact));
      }
      assert.ok(worst <= maxError + 1e-12, `error ${worst} above the recorded bound ${maxError}`);
    });
  }
}

test('the fixture constructions: orthogonal map + scaling + shift gives 1; per-dimension scaling gives 1 only standardised', async () => {
  const raw = await run({ mode: 'exact' });
  const std = await run({ mode: 'exact', standardize: true });
  const ab = (r: LayerSimilarity) => ckaMatrix(r, 'alpha', 'beta');
  assert.ok(Math.abs(ab(raw).cka[0] - 1) < 1e-9);
  assert.ok(ab(raw).cka[1 * 3 + 1] < 0.9);
  assert.ok(Math.abs(ab(std).cka[1 * 3 + 1] - 1) < 1e-9);
  assert.ok(ab(raw).cka[2 * 3 + 0] < 0.05, 'independent layers are near 0');
});

test('auto picks exact for a small dataset; a tolerance lowers the rank where a layer allows it', async () => {
  const auto = await run({});
  assert.equal(auto.mode, 'exact');
  const tol = await run({ mode: 'lowrank', rank: 40, tolerance: 0.05 });
  for (const l of tol.lowrank!.layers)
    assert.ok(l.residualNorm <= 0.05 || l.rank === 40, `${l.model}/${l.layer}: rank ${l.rank}, residual ${l.residualNorm}`);
  assert.ok(
    tol.lowrank!.layers.some((l) => l.rank < 40),
    'the low-rank latent layers need fewer vectors',
  );
});

test('layer subsets and the transposed view', async () => {
  const res = await run({ mode: 'exact', layers: { alpha: [2, 0], beta: [1], gamma: [0] } });
  const ag = ckaMatrix(res, 'alpha', 'gamma');
  const ga = ckaMatrix(res, 'gamma', 'alpha');
  assert.equal(ag.rows, 2);
  assert.equal(ga.cols, 2);
  assert.equal(ag.cka[1], ga.cka[1]);
  const i = ref.layers.findIndex(([m, l]) => m === 'alpha' && l === 0);
  const j = ref.layers.findIndex(([m, l]) => m === 'gamma' && l === 0);
  assert.ok(Math.abs(ag.cka[1] - ref.raw[i][j]) < 1e-9);
  await assert.rejects(run({ layers: [0, 5] }), (e: unknown) => e instanceof BioprobeError && /layers 0-/.test(e.message));
});

test('cka.json round-trips; the CSV has one row per layer pair a <= b', async () => {
  const res = await run({ mode: 'lowrank', rank: 4 });
  const file = join(tmp, 'cka.json');
  writeCka(file, res);
  const back = readCka(file);
  assert.equal(back.format, 'bioprobe.cka/1');
  assert.deepEqual(back.models, res.models);
  assert.equal(back.lowrank!.maxError, res.lowrank!.maxError);
  for (let k = 0; k < res.pairs.length; k++) {
    assert.deepEqual(Array.from(back.pairs[k].cka), Array.from(res.pairs[k].cka));
    assert.deepEqual(Array.from(back.pairs[k].upper!), Array.from(res.pairs[k].upper!));
  }
  const lines = ckaCsv(res).trim().split('\n');
  assert.equal(lines[0], 'model_a,layer_a,model_b,layer_b,cka,lower,upper');
  assert.equal(lines.length - 1, (8 * 9) / 2);
});

function copyWith(name: string, edit: (csv: string) => string): string {
  const dir = join(tmp, name);
  cpSync(join(FIX, 'beta'), dir, { recursive: true });
  const f = join(dir, 'clips.csv');
  writeFileSync(f, edit(readFileSync(f, 'utf8')));
  return dir;
}

test('models on different clips are refused with the first differing line', async () => {
  const moved = copyWith('moved', (s) => s.replace('clips/c017.wav', 'clips/other.wav'));
  await assert.rejects(
    layerSimilarity({ features: [features[0], { dir: moved, name: 'beta2' }] }),
    (e: unknown) =>
      e instanceof BioprobeError &&
      e.code === 'cka-clips-mismatch' &&
      /line 19/.test(e.message) &&
      /c017/.test(e.message) &&
      e.file === join(moved, 'clips.csv'),
  );
  const relabelled = copyWith('relabelled', (s) => s.replace('3,clips/c003.wav,owl', '3,clips/c003.wav,wren'));
  await assert.rejects(
    layerSimilarity({ features: [features[0], { dir: relabelled, name: 'beta3' }] }),
    (e: unknown) => e instanceof BioprobeError && e.code === 'cka-clips-mismatch' && /label "owl" vs "wren"/.test(e.message),
  );
  await assert.rejects(
    layerSimilarity({ features: [features[0], features[0]] }),
    (e: unknown) => e instanceof BioprobeError && e.code === 'cka-duplicate-model',
  );
  await assert.rejects(
    layerSimilarity({ features: [{ dir: tmp }] }),
    (e: unknown) => e instanceof BioprobeError && e.code === 'cka-no-features',
  );
});

test('NaN in a used clip is refused naming the layer file, in every mode; NaN in a skipped clip is ignored', async () => {
  const dir = join(tmp, 'nan');
  cpSync(join(FIX, 'alpha'), dir, { recursive: true });
  const file = join(dir, 'layer_01.npy');
  const { data, shape } = readNpy(file);
  data[77 * shape[1] + 3] = NaN; // clip 77 is `silent`: not used
  writeNpy(file, data, shape);
  const ok = await layerSimilarity({ features: [{ dir, name: 'nan' }, features[1]], mode: 'exact', threads: 1 });
  assert.ok(ok.pairs.every((p) => p.cka.every(Number.isFinite)));
  data[12 * shape[1] + 3] = NaN;
  writeNpy(file, data, shape);
  for (const extra of [
    { mode: 'exact', exactMethod: 'sample-space' },
    { mode: 'exact', exactMethod: 'feature-space' },
    { mode: 'lowrank' },
    { mode: 'lowrank', bound: 'trace' },
  ] as const) {
    await assert.rejects(
      layerSimilarity({ features: [{ dir, name: 'nan' }, features[1]], threads: 1, ...extra }),
      (e: unknown) => e instanceof BioprobeError && e.code === 'cka-non-finite' && e.file === file && /layer 1/.test(e.message),
      JSON.stringify(extra),
    );
  }
});

test('a truncated layer file is refused naming it', async () => {
  const dir = join(tmp, 'short');
  cpSync(join(FIX, 'gamma'), dir, { recursive: true });
  const file = join(dir, 'layer_00.npy');
  truncateSync(file, statSync(file).size - 1000);
  for (const mode of ['exact', 'lowrank'] as const) {
    await assert.rejects(
      layerSimilarity({ features: [{ dir, name: 'short' }, features[0]], mode, threads: 1 }),
      (e: unknown) => e instanceof BioprobeError && e.code === 'cka-layer-truncated' && e.file === file,
      mode,
    );
  }
});

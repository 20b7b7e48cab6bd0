/**
 * Per-class recall by layer against scikit-learn (tools/make_class_recall_reference.py): every cell's
 * mean and sample std over 3 seeds to 1e-12 (both sides are ratios of small counts in float64), the
 * best layer, the class order, the classes no layer separates; the files round-trip; bad input fails
 * with a typed error naming the file; the CLI writes the folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { classRecall, readClassRecall, writeClassRecall, CLASS_RECALL_COLUMNS } from '../../lib/analysis/index.js';
import { BioprobeError } from '../../lib/util/errors.js';
import { spawnSync } from 'node:child_process';
import { RECALL_REFERENCE as REF, writeRecallResults } from './recallFixture.js';

const root = mkdtempSync(join(tmpdir(), 'bioprobe-recall-'));
after(() => rmSync(root, { recursive: true, force: true }));
const results = writeRecallResults(join(root, 'results'));

/** The real binary from sources through tsx. */
function runCli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const TOL = 1e-12;
const close = (a: number, b: number | null, what: string) => {
  if (b === null) assert.ok(Number.isNaN(a), `${what}: expected undefined (NaN), got ${a}`);
  else assert.ok(Math.abs(a - b) <= TOL, `${what}: ${a} vs sklearn ${b}`);
};

test('class recall matches scikit-learn per layer and class (mean and sample std over seeds)', () => {
  const r = classRecall(results);
  assert.deepEqual(r.layers, REF.layers);
  assert.deepEqual(r.seeds, REF.seeds);
  assert.equal(r.cells.length, REF.expected.cells.length);
  for (const e of REF.expected.cells) {
    const c = r.cells.find((x) => x.layer === e.layer && x.class === e.class)!;
    close(c.mean, e.mean, `layer ${e.layer} class ${e.class} mean`);
    if (e.std !== null) close(c.std, e.std, `layer ${e.layer} class ${e.class} std`);
    assert.equal(c.n, e.n);
    assert.equal(c.seeds, e.n > 0 ? 3 : 0);
  }
  assert.equal(r.best_layer, REF.expected.best_layer);
  assert.equal(r.best_layer_by, 'val');
  assert.deepEqual(r.class_order, REF.expected.class_order);
  assert.equal(r.threshold, 0.5);
  assert.equal(r.chance, 1 / 5);
  assert.deepEqual(
    r.unseparated.map((u) => u.class),
    REF.expected.unseparated.map((u) => u.class),
  );
  for (const [i, u] of REF.expected.unseparated.entries()) {
    close(r.unseparated[i].best_recall, u.best_recall, 'unseparated best recall');
    assert.equal(r.unseparated[i].best_layer, u.best_layer);
  }
});

test('a higher threshold marks more classes unseparated; a bad one is a usage error', () => {
  const r = classRecall(results, { threshold: 0.95 });
  assert.ok(r.unseparated.length > REF.expected.unseparated.length);
  assert.ok(!r.unseparated.some((u) => u.class === 'e'), 'a class without test clips is never listed');
  assert.throws(
    () => classRecall(results, { threshold: 0 }),
    (e: unknown) => e instanceof BioprobeError && e.kind === 'usage',
  );
});

test('class_recall.csv and manifest.json round-trip', () => {
  const out = join(root, 'out-rt');
  const r = classRecall(results);
  writeClassRecall(out, r);
  const header = readFileSync(join(out, 'class_recall.csv'), 'utf8').split('\n')[0];
  assert.equal(header, CLASS_RECALL_COLUMNS.join(','));
  const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.equal(m.format, 'bioprobe.recall/1');
  assert.equal(m.kind, 'class-recall');
  assert.equal(m.best_layer, r.best_layer);
  const back = readClassRecall(out);
  assert.deepEqual(back.class_order, r.class_order);
  assert.deepEqual(back.unseparated, r.unseparated);
  for (const c of r.cells) {
    const b = back.cells.find((x) => x.layer === c.layer && x.class === c.class)!;
    if (Number.isNaN(c.mean)) assert.ok(Number.isNaN(b.mean));
    else assert.ok(Math.abs(b.mean - c.mean) < 1e-5);
    assert.equal(b.n, c.n);
  }
});

test('bad input: no confusion files, a malformed confusion file, a folder without results', () => {
  const bare = join(root, 'bare');
  writeRecallResults(bare);
  rmSync(join(bare, 'confusion'), { recursive: true });
  assert.throws(
    () => classRecall(bare),
    (e: unknown) => e instanceof BioprobeError && e.code === 'no-confusion' && e.file === bare,
  );
  const bad = join(root, 'bad');
  writeRecallResults(bad);
  const f = join(bad, 'confusion', 'layer_02.test.json');
  writeFileSync(f, '{"classes": ["a"], "matrix": [[1, 2]]}');
  assert.throws(
    () => classRecall(bad),
    (e: unknown) => e instanceof BioprobeError && e.code === 'confusion-malformed' && e.file === f,
  );
  assert.throws(
    () => classRecall(join(root, 'nothing')),
    (e: unknown) => e instanceof BioprobeError,
  );
  assert.throws(
    () => readClassRecall(results),
    (e: unknown) => e instanceof BioprobeError && /recall/.test(e.message),
  );
});

test('bioprobe analyze recall writes the folder; a missing folder exits 1 with one line naming it', () => {
  const out = join(root, 'cli-out');
  const ok = runCli(['analyze', 'recall', '--results', results, '--out', out, '--threshold', '0.5']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /best layer 3 \(on val UAR\)/);
  assert.match(ok.stdout, /no layer reaches mean test recall 0.5 for: d/);
  assert.ok(existsSync(join(out, 'class_recall.csv')) && existsSync(join(out, 'manifest.json')));
  const bad = runCli(['analyze', 'recall', '--results', join(root, 'nothing'), '--out', join(root, 'x')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^bioprobe: .*nothing/);
});

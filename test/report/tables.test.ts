import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildStudy } from '../../lib/report/study.js';
import { modelTable, scoreTable } from '../../lib/report/tables.js';
import { memDir, row } from './helpers.js';

function study() {
  const dirs = [
    ['aves-bio', 60],
    ['hubert-base', 70],
    ['w2v2-base', 65],
    ['w2v2-base-100h', 70],
  ].map(([m, u], i) =>
    memDir(`/r/${i}`, [
      row(String(m), 'imv:/x', 0, 1, 'val', 50),
      row(String(m), 'imv:/x', 0, 1, 'test', Number(u) - 1),
      row(String(m), 'imv:/x', 1, 1, 'val', 60),
      row(String(m), 'imv:/x', 1, 1, 'test', Number(u)),
    ]),
  );
  dirs.push(memDir('/r/f', [row('fusion', 'imv:/x', 'fusion', 1, 'test', 99)]));
  return buildStudy(dirs);
}

test('Table III: best in bold (ties share it), second underlined, fusion not ranked, layer shown', () => {
  const t = scoreTable(study(), 'selected')!;
  assert.deepEqual(t.datasets, ['IMV']);
  const byName = Object.fromEntries(t.rows.map((r) => [r.name, r.cells[0]]));
  assert.equal(byName.HuBERT.rank, 1);
  assert.equal(byName['W2V2-100h'].rank, 1);
  assert.equal(byName.W2V2.rank, 2);
  assert.equal(byName['AVES-Bio'].rank, 0);
  assert.equal(byName.Fusion.rank, 0);
  assert.equal(byName.Fusion.text, '99.00');
  assert.equal(byName.HuBERT.layer, 'L1');
  assert.equal(t.by, 'val');
  assert.deepEqual(
    t.rows.map((r) => [r.group, r.groupSpan]),
    [
      ['PT', 3],
      ['PT', 0],
      ['PT', 0],
      ['PT + FT', 1],
      ['', 1],
    ],
  );
});

test('Table II leaves out columns no manifest filled in', () => {
  const t = modelTable(study())!;
  // the manifests record name, type and corpus (helpers.ts), no parameters, width or layers
  assert.deepEqual(
    t.columns.map((c) => c.key),
    ['name', 'id', 'corpus', 'type'],
  );
});

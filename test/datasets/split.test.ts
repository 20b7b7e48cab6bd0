import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { groupedSplit, paperSplit, splitCounts, splitSizes, stratifiedSplit, type SplitName } from '../../lib/datasets/split.js';
import { formatSplitCsv, readSplitCsv, splitForDataset, checkSplitRows, writeSplitCsv } from '../../lib/datasets/splitFile.js';
import { torchRandperm } from '../../lib/util/random.js';
import type { Dataset } from '../../lib/datasets/types.js';
import { BioprobeError } from '../../lib/util/errors.js';
import { put, tempDir, throwsLine } from './helpers.js';

test('splitSizes uses the same double arithmetic as Python int(0.7 * N)', () => {
  // 0.7 * 10 and 0.7 * 20 are not exact in binary: Python gives int(0.7*10) = 7, int(0.7*20) = 14, int(0.2*15) = 3.
  assert.deepEqual(splitSizes(10, [70, 20, 10]), [7, 2, 1]);
  assert.deepEqual(splitSizes(20, [70, 20, 10]), [14, 4, 2]);
  assert.deepEqual(splitSizes(15, [70, 20, 10]), [10, 3, 2]);
  assert.deepEqual(splitSizes(72920, [70, 20, 10]), [51044, 14584, 7292]);
  assert.deepEqual(splitSizes(7, [1, 1, 1]), [2, 2, 3]);
  assert.throws(() => splitSizes(10, [70, 20]), BioprobeError);
  assert.throws(() => splitSizes(10, [0, 0, 0]), BioprobeError);
  assert.throws(() => splitSizes(10, [70, -1, 10]), BioprobeError);
  assert.throws(() => paperSplit(10, { seed: 1.5 }), /seed must be an integer/);
});

test('stratifiedSplit applies the paper rule inside each class', () => {
  const labels = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 'a' : i % 3 === 1 ? 'b' : 'c'));
  const s = stratifiedSplit(labels, { seed: 42 });
  for (const cls of ['a', 'b', 'c']) {
    const members = labels.flatMap((l, i) => (l === cls ? [i] : []));
    const [tr, va] = splitSizes(members.length, [70, 20, 10]);
    const p = torchRandperm(members.length, 42);
    const expect: SplitName[] = Array.from(p, (_, k) => (k < tr ? 'train' : k < tr + va ? 'val' : 'test'));
    assert.deepEqual(
      Array.from(p, (m) => s[members[m]]),
      expect,
      `class ${cls}`,
    );
  }
  assert.deepEqual(splitCounts(s), { train: 23 + 23 + 23, val: 6 + 6 + 6, test: 5 + 4 + 4 });
  assert.deepEqual(stratifiedSplit(labels, { seed: 42 }), s, 'deterministic');
  assert.notDeepEqual(stratifiedSplit(labels, { seed: 7 }), s, 'seed matters');
});

test('groupedSplit never lets a group straddle splits and approaches the ratios', () => {
  // 60 groups of 1..9 items; a few items without a group.
  const groups: (string | undefined)[] = [];
  for (let g = 0; g < 60; g++) for (let k = 0; k < 1 + ((g * 7) % 9); k++) groups.push(`rec${g}`);
  groups.push(undefined, undefined, '');
  const s = groupedSplit(groups, { seed: 42 });
  const where = new Map<string, SplitName>();
  groups.forEach((g, i) => {
    if (!g) return;
    const prev = where.get(g);
    assert.ok(prev === undefined || prev === s[i], `group ${g} straddles ${prev} and ${s[i]}`);
    where.set(g, s[i]);
  });
  const c = splitCounts(s);
  const n = groups.length;
  assert.equal(c.train + c.val + c.test, n);
  assert.ok(Math.abs(c.train / n - 0.7) < 0.06 && Math.abs(c.val / n - 0.2) < 0.06 && c.test > 0, JSON.stringify(c));
  assert.deepEqual(groupedSplit(groups, { seed: 42 }), s, 'deterministic');
  assert.notDeepEqual(groupedSplit(groups, { seed: 1 }), s, 'seed matters');
  // With every item its own group it is still a valid 3-way split of the right sizes.
  const singles = groupedSplit(
    Array.from({ length: 50 }, () => undefined),
    { seed: 42 },
  );
  assert.deepEqual(splitCounts(singles), { train: 35, val: 10, test: 5 });
});

function fakeDataset(): Dataset {
  return {
    spec: 'csv:/x/l.csv',
    name: 'l',
    root: '/x',
    items: [
      { index: 0, path: '/x/a,b.wav', label: 'cat', start: 0.5, end: 1, group: 'r1' },
      { index: 1, path: '/x/c.wav', label: 'dog' },
      { index: 2, path: '/x/d.wav', label: 'cat', group: 'r1' },
    ],
  };
}

test('split file: index,path,label,split in dataset order; read back and checked against the dataset', () => {
  const d = tempDir();
  const ds = fakeDataset();
  const file = join(d, 'split.csv');
  writeSplitCsv(file, ds, ['train', 'test', 'val']);
  assert.equal(readFileSync(file, 'utf8'), formatSplitCsv(ds, ['train', 'test', 'val']));
  assert.equal(readFileSync(file, 'utf8').split('\n')[0], 'index,path,label,split,start,end,group');
  assert.equal(readFileSync(file, 'utf8').split('\n')[1], '0,"/x/a,b.wav",cat,train,0.5,1,r1');
  assert.deepEqual(
    readSplitCsv(file).map((r) => [r.index, r.path, r.label, r.split]),
    [
      [0, '/x/a,b.wav', 'cat', 'train'],
      [1, '/x/c.wav', 'dog', 'test'],
      [2, '/x/d.wav', 'cat', 'val'],
    ],
  );
  assert.deepEqual(splitForDataset(file, ds), ['train', 'test', 'val']);
  const other = { ...ds, items: ds.items.map((it) => ({ ...it, label: 'cow' })) };
  throwsLine(() => splitForDataset(file, other), /split\.csv: row for index 0 is .* but the dataset has/);
  throwsLine(() => splitForDataset(file, { ...ds, items: ds.items.slice(0, 2) }), /split file has 3 rows but dataset .* has 2 items/);
  put(d, 'bad.csv', 'index,path,label,split\n0,a,b,train\n2,a,b,test\n');
  throwsLine(() => readSplitCsv(join(d, 'bad.csv')), /bad\.csv: line 3: index "2" where 1 was expected/);
  put(d, 'bad2.csv', 'index,path,label,split\n0,a,b,holdout\n');
  throwsLine(() => readSplitCsv(join(d, 'bad2.csv')), /line 2: split "holdout" is not train, val or test/);
  throwsLine(() => formatSplitCsv(ds, ['train']), /split has 1 entries but the dataset has 3 items/);
  throwsLine(() => writeSplitCsv(join(d, 'no/such/dir/s.csv'), ds, ['train', 'val', 'test']), /s\.csv: cannot write split file \(ENOENT\)/);
});

test('checkSplitRows: a split file is checked row by row (path, label, segment), naming the first row that differs', () => {
  const d = tempDir();
  const ds = fakeDataset();
  const file = join(d, 'split.csv');
  writeSplitCsv(file, ds, ['train', 'test', 'val']);
  const rows = readSplitCsv(file);
  const clips = ds.items.map((it) => ({ path: it.path, label: it.label, start: it.start, end: it.end }));
  checkSplitRows(rows, clips, file, 'the features');
  throwsLine(
    () => checkSplitRows(rows, clips.slice(0, 2), file, 'the features'),
    /split\.csv: split file has 3 rows but the features has 2/,
  );
  // same count, rows in another order: refused at the first row that differs (not only counted)
  throwsLine(
    () => checkSplitRows(rows, [clips[1], clips[0], clips[2]], file, 'the features'),
    /split\.csv: line 2 \(index 0\): path \/x\/a,b\.wav where the features has \/x\/c\.wav \(the split file was written for another/,
  );
  throwsLine(
    () =>
      checkSplitRows(
        rows,
        clips.map((c, i) => (i === 2 ? { ...c, label: 'cow' } : c)),
        file,
        'the features',
      ),
    /line 4 \(index 2\): label "cat" where the features has "cow" \(\/x\/d\.wav\)/,
  );
  // segments of one recording share a path: start/end are compared where both sides have them
  throwsLine(
    () =>
      checkSplitRows(
        rows,
        clips.map((c, i) => (i === 0 ? { ...c, start: 0.75 } : c)),
        file,
        'the features',
      ),
    /line 2 \(index 0\): segment \[0\.5, 1\] where the features has \[0\.75, 1\]/,
  );
  // a hand-made index,split file: nothing to compare but the count
  put(d, 'bare.csv', 'index,split\n0,train\n1,val\n2,test\n');
  checkSplitRows(readSplitCsv(join(d, 'bare.csv')), clips, join(d, 'bare.csv'), 'the features');
});

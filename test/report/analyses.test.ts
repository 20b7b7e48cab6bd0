/**
 * The analyses in the report: discovery of weighted-probe, class-recall, label-efficiency and CKA
 * inputs; per-class recall computed from the probe's confusion counts when no class-recall folder is
 * given (the same values as analysis/classRecall), or read from one; the "all layers (weighted)" row;
 * the layer-weight means and stds; label efficiency's x axis and band; captions naming split, seeds and
 * threshold; sections absent without inputs; HTML (and PDF with Chromium) end to end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { classRecall, writeClassRecall } from '../../lib/analysis/index.js';
import { findChromium, loadStudy, writeReport } from '../../lib/report/index.js';
import { discoverStudyInputs } from '../../lib/report/inputs.js';
import { scoreTable } from '../../lib/report/tables.js';
import { mean, sampleStd } from '../../lib/util/stats.js';
import { WEIGHTS, writeAnalysisStudy } from './analysisStudy.js';
import { tempDir } from './temp.js';

type Values = { values: Record<string, unknown>[] };

test('discovery finds results (probe and weighted), label-efficiency folders and cka.json by manifest kind and file name', () => {
  const root = writeAnalysisStudy(tempDir('an-disc'));
  const out = join(root, 'recall-out');
  writeClassRecall(out, classRecall(join(root, 'probe')));
  const i = discoverStudyInputs([root]);
  assert.deepEqual(
    i.results.map((d) => d.slice(root.length + 1)),
    ['probe', 'weighted'],
  );
  assert.deepEqual(i.recall, [out]);
  assert.deepEqual(i.labels, [join(root, 'labels')]);
  assert.deepEqual(i.cka, [join(root, 'cka', 'cka.json')]);
});

test('every analysis figure, computed recall equal to classRecall, weights mean ± std over seeds, weighted row', async () => {
  const root = writeAnalysisStudy(tempDir('an-all'));
  const s = await loadStudy([root]);
  assert.deepEqual(
    s.figures.map((f) => f.key).filter((k) => ['recall', 'weights', 'labels', 'cka'].includes(k)),
    ['recall', 'weights', 'labels', 'cka'],
  );
  const fig = (k: string) => s.figures.find((f) => f.key === k)!;

  // recall: computed from the confusion counts, with analysis/classRecall's values and order
  const want = classRecall(join(root, 'probe'));
  const rv = (fig('recall').panels[0].spec.data as Values).values;
  for (const c of want.cells.filter((x) => !Number.isNaN(x.mean))) {
    const got = rv.find((v) => v.cls === c.class && v.layer === (c.layer === 0 ? 'CNN' : String(c.layer)))!;
    assert.equal(got.recall, Math.round(1000 * c.mean) / 10);
  }
  assert.ok(!rv.some((v) => v.cls === 'e'), 'a class without test clips has no row');
  assert.match(fig('recall').caption, /test split.*mean over 3 seeds.*validation UAR.*below 50 % at every layer/);
  assert.match(fig('recall').panels[0].label, /layer chosen on val: 3/);
  assert.deepEqual(
    s.analyses.recall[0].data.unseparated.map((u) => u.class),
    ['d'],
  );

  // weights: selected-epoch softmax weights, mean and sample std over the 3 seeds
  const wv = (fig('weights').panels[0].spec.data as Values).values;
  for (let l = 0; l < 4; l++) {
    const per = Object.values(WEIGHTS).map((w) => w[l]);
    const got = wv.find((v) => v.layer === l)!;
    assert.ok(Math.abs((got.weight as number) - mean(per)) < 1e-12);
    assert.ok(Math.abs((got.hi as number) - (mean(per) + sampleStd(per))) < 1e-12);
  }
  assert.match(fig('weights').caption, /selected epoch, mean ± one standard deviation over 3 seeds/);

  // label efficiency: `all` one octave beyond k = 8, band = min-max over seeds
  const lf = fig('labels');
  const lv = (lf.panels[0].spec as { data: Values }).data.values;
  assert.deepEqual(
    lv.map((v) => v.x),
    [1, 2, 4, 8, 16],
  );
  assert.deepEqual([lv[0].lo, lv[0].uar, lv[0].hi], [31, 32, 33]);
  assert.match(JSON.stringify(lf.panels[0].spec), /datum.value == 16 \? 'all'/);
  assert.match(
    lf.caption,
    /test UAR against the number of training clips per class \(log₂ axis; "all" = every training clip\).*hubert-base layer 3.*validation and test splits are unchanged.*3 seeds per point, bands the range \(min–max\)/,
  );

  // cka: the pair of two models only (self pairs left out when there is one)
  assert.equal(fig('cka').panels.length, 1);
  assert.equal(fig('cka').panels[0].label, `(a) ${s.study.models[0].name} × aves-bio, ${s.study.datasets[0].name}, 60 clips`);
  const cv = (fig('cka').panels[0].spec as { data: Values }).data.values;
  assert.equal(cv.length, 12);
  assert.equal(cv.find((v) => v.la === '1' && v.lb === '1')!.cka, null);

  // table: the weighted row beside the best single layer
  const t = scoreTable(s.study, 'selected')!;
  const row = t.rows.find((r) => r.name === 'all layers (weighted)')!;
  assert.equal(row.cells[0].text, '70.00');
  assert.equal(row.cells[0].pm, '±2.00');
  assert.ok(t.weighted);
  // every row sits in exactly one Type group (rowspans cover the rows once: extra rows below the models must not add cells)
  assert.equal(
    t.rows.reduce((n, r) => n + r.groupSpan, 0),
    t.rows.length,
  );
  assert.ok(!s.warnings.some((w) => /all-weighted/.test(w)), s.warnings.join('\n'));
});

test('a class-recall folder given with the results is used instead of recomputing (its threshold in the caption)', async () => {
  const root = writeAnalysisStudy(tempDir('an-given'), { labels: false, cka: false, weighted: false });
  writeClassRecall(join(root, 'recall'), classRecall(join(root, 'probe'), { threshold: 0.9 }));
  const s = await loadStudy([root]);
  assert.match(s.figures.find((f) => f.key === 'recall')!.caption, /below 90 % at every layer/);
  assert.ok(s.analyses.recall[0].data.unseparated.length > 1);
  assert.equal(s.figures.filter((f) => ['weights', 'labels', 'cka'].includes(f.key)).length, 0, 'absent analyses add no figure');
});

test('an unusable label-efficiency file is a warning naming it; the rest of the report stands', async () => {
  const root = writeAnalysisStudy(tempDir('an-bad'), { cka: false });
  const f = join(root, 'labels', 'label_efficiency.csv');
  writeFileSync(f, 'model,dataset,layer,shots,seed,train_clips,val_uar,test_uar\nm,d,3,zero,1,5,0.5,0.4\n');
  const s = await loadStudy([root]);
  assert.ok(
    s.warnings.some((w) => w.includes(f) && /shots must be/.test(w)),
    s.warnings.join('\n'),
  );
  assert.ok(!s.figures.some((f) => f.key === 'labels'));
  assert.ok(s.figures.some((f) => f.key === 'recall'));
});

test('report.html (and report.pdf where Chromium is installed) carries the four sections', { timeout: 120_000 }, async () => {
  const root = writeAnalysisStudy(tempDir('an-html'));
  const out = tempDir('an-html-out');
  const chromium = findChromium();
  const r = await writeReport({ results: [root], out, pdf: chromium !== undefined, date: '' });
  const html = readFileSync(r.html, 'utf8');
  for (const h of ['Per-class recall by layer', 'All layers, learned mix', 'Label efficiency', 'Layer similarity'])
    assert.ok(html.includes(`. ${h}</h3>`), h);
  assert.match(html, /Classes no layer separates: their mean test recall over seeds stays below the threshold \(50 %\)/);
  assert.match(html, /<th>all layers \(weighted\)<\/th>/);
  assert.ok(existsSync(join(out, 'figures')));
  if (chromium) assert.ok(r.pdf && existsSync(r.pdf), r.pdfSkipped);
});

/**
 * The acceptance path on real files: `extract` (a committed tiny ONNX model) and `probe` on the shared
 * birds recordings, one class renamed to a hostile string, then `report`. Checks: >= 3 inline SVG
 * figures, >= 1 table, no external reference, the label escaped, and (with Chromium) a PDF of >= 2 pages.
 * Skipped when the shared data are absent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { findChromium } from '../../lib/report/index.js';
import { datasetConfusion } from '../../lib/report/confusion.js';
import { Warnings } from '../../lib/util/warnings.js';
import { layerIndex, loadResultsDir } from '../../lib/results/index.js';
import { buildStudy } from '../../lib/report/study.js';
import { HOSTILE } from './fixtures.js';
import { externalReferences, runCli } from './helpers.js';
import { tempDir } from './temp.js';

const birds = '/work/shared/data/birds/labels.csv';
const model = 'test/fixtures/models/hubert_tiny.onnx';

/** Rename class `from` to `to` in a results directory's classes.json, split.csv and clips.csv. */
function renameClass(dir: string, from: string, to: string): void {
  const classes = JSON.parse(readFileSync(join(dir, 'classes.json'), 'utf8')) as string[];
  writeFileSync(join(dir, 'classes.json'), JSON.stringify(classes.map((c) => (c === from ? to : c))));
  for (const f of ['split.csv', 'clips.csv']) {
    const rows = parse(readFileSync(join(dir, f), 'utf8'), { columns: true }) as Record<string, string>[];
    const cols = Object.keys(rows[0]);
    const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    writeFileSync(
      join(dir, f),
      [cols.join(','), ...rows.map((r) => cols.map((c) => q(r[c] === from && c === 'label' ? to : r[c])).join(','))].join('\n') + '\n',
    );
  }
}

test('extract -> probe -> report on real recordings with a hostile class name', {
  skip: (!existsSync(birds) && `shared data absent: ${birds}`) || (!existsSync(model) && `model fixture absent: ${model}`),
  timeout: 180_000,
}, () => {
  const work = tempDir('e2e');
  const ex = runCli(['extract', '--model', model, '--dataset', `csv:${birds}`, '--out', join(work, 'features'), '--limit', '50']);
  assert.equal(ex.code, 0, ex.stderr);
  const pr = runCli(['probe', '--features', join(work, 'features'), '--out', join(work, 'results'), '--layers', '0-2']);
  assert.equal(pr.code, 0, pr.stderr);
  const classes = JSON.parse(readFileSync(join(work, 'results', 'classes.json'), 'utf8')) as string[];
  renameClass(join(work, 'results'), classes[0], HOSTILE);

  const out = join(work, 'report');
  const r = runCli(['report', '--results', join(work, 'results'), '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.ok((html.match(/<svg\b/g) ?? []).length >= 3, 'at least 3 inline SVG figures');
  assert.ok((html.match(/<table\b/g) ?? []).length >= 1);
  assert.deepEqual(externalReferences(html), []);
  assert.ok(!html.includes(HOSTILE));
  assert.ok(html.includes('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(html.includes('hubert_tiny') && html.includes('CNN'));
  // The confusion matrix's UAR (recomputed here from the posteriors) equals the probe's own score
  const w = new Warnings();
  const study = buildStudy([loadResultsDir(join(work, 'results'), w)], w);
  const c = datasetConfusion(study.datasets[0], w)!;
  const sel = study.datasets[0].results[0].selected!;
  const firstSeed = study.dirs[0].results.find((x) => x.split === 'test' && layerIndex(x) === sel.layer)!;
  assert.ok(Math.abs(c.uar - 100 * firstSeed.uar) < 1e-3, `confusion UAR ${c.uar} % vs probe ${firstSeed.uar}`);
  if (findChromium()) {
    const info = spawnSync('pdfinfo', [join(out, 'report.pdf')], { encoding: 'utf8' });
    if (!info.error) assert.ok(Number(/Pages:\s+(\d+)/.exec(info.stdout)?.[1]) >= 2, info.stdout);
    else assert.ok(existsSync(join(out, 'report.pdf')));
  }
});

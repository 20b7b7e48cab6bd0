import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeReport } from '../../lib/report/index.js';
import { BioprobeError } from '../../lib/util/errors.js';
import { externalReferences, runCli } from './helpers.js';
import { HOSTILE, writeFixtureStudy, writePaperScaleStudy } from './fixtures.js';
import { tempDir } from './temp.js';

const tmp = (p: string) => tempDir(p);

test('the report renders from fixture results: inline SVG figures, tables, no external reference, hostile label escaped', async () => {
  const root = tmp('in');
  writeFixtureStudy(root, { hostile: true });
  const out = tmp('out');
  const r = await writeReport({ results: [root], out, pdf: false, date: '' });
  const html = readFileSync(r.html, 'utf8');
  assert.ok((html.match(/<svg\b/g) ?? []).length >= 5, 'inline SVG figures');
  assert.ok((html.match(/<table\b/g) ?? []).length >= 3, 'tables');
  assert.deepEqual(externalReferences(html), []);
  assert.ok(!html.includes(HOSTILE), 'the raw label never appears');
  assert.ok(html.includes('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;'), 'the label appears escaped');
  assert.ok(!/<script/i.test(html), 'no scripts at all');
  for (const n of ['Table I', 'Table II', 'Table III', 'Fig. 1.', 'Fig. 3.', 'Fig. 4.', 'Fig. 5.', 'CNN', 'Fusion'])
    assert.ok(html.includes(n), n);
  // each figure also as .svg + its Vega-Lite spec
  const files = readdirSync(join(out, 'figures'));
  assert.equal(files.filter((f) => f.endsWith('.svg')).length, r.figures.length);
  for (const f of r.figures) {
    const spec = JSON.parse(readFileSync(f.replace(/\.svg$/, '.vl.json'), 'utf8'));
    assert.match(spec.$schema, /vega-lite/);
    assert.match(readFileSync(f, 'utf8'), /^<\?xml[^>]*>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  }
  assert.equal(r.pdfSkipped, 'PDF not requested');
  // Abzaliev (one seed) shows the probe's bootstrap intervals from summary.csv, IMV (3 seeds) t-intervals
  assert.match(html, /58\.48<\/strong><span class="layer">L8<\/span><span class="ci">\[51\.5, 63\.5\]<\/span>/);
  assert.ok(html.includes('95 % interval below (bootstrap over test clips where the probe recorded one, else t over seeds)'));
  // fuse's variants: Table III's fusion row is chosen on val (60.40), the appendix's on test (63.21); members named
  const oracle = html.slice(html.indexOf('id="table-oracle"'));
  assert.ok(oracle.includes('63.21') && !oracle.includes('60.40'));
  assert.ok(html.includes('IMV: fusion of AVES-Bio (L9) + HuBERT (CNN), UAR'));
});

test('missing pieces are left out cleanly: one dataset, one model, no clips, no predictions, no fusion', async () => {
  const root = tmp('in');
  const dirs = writeFixtureStudy(root);
  const out = tmp('out');
  const r = await writeReport({ results: [dirs[dirs.length - 1]], out, pdf: false });
  const html = readFileSync(r.html, 'utf8');
  assert.deepEqual(
    r.figures.map((f) => f.replace(/.*\//, '')),
    ['fig1-pipeline.svg', 'fig2-layers.svg'],
  );
  assert.ok(!html.includes('Fig. 3'), 'no fine-tuning or confusion figure');
  assert.ok(!html.includes('Fusion</th>'));
  assert.ok(!/<figure class="figure"[^>]*>\s*<div class="panels">\s*<\/div>/.test(html), 'no empty frame');
  assert.ok(html.includes('Table II') && html.includes('56.74'), 'model and score tables still there');
  assert.ok(html.includes('Table III'), 'Table I still has samples, classes and split sizes from split.csv');
  assert.ok(!html.includes('median length') && !html.includes('total length'), 'length columns left out without durations');
});

test('a synthetic or random-weights run carries the demonstration banner', async () => {
  const root = tmp('in');
  writeFixtureStudy(root, { synthetic: true });
  const r = await writeReport({ results: [root], out: tmp('out'), pdf: false });
  assert.match(readFileSync(r.html, 'utf8'), /class="banner"[^>]*><strong>Demonstration<\/strong>[^<]*synthetic/);
});

test('bioprobe report without Chromium writes the HTML, says how to get the PDF, exits 0', () => {
  const root = tmp('in');
  writeFixtureStudy(root);
  const out = tmp('out');
  const r = runCli(['report', '--results', root, '--out', out], { env: { CHROME_PATH: join(out, 'no-such-chromium') } });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(join(out, 'report.html')));
  assert.ok(!existsSync(join(out, 'report.pdf')));
  assert.match(r.stdout, /report\.pdf not written: no Chromium found: install Chromium .*CHROME_PATH/);
});

test('a folder without results is a one-line error naming it', async () => {
  const empty = tmp('empty');
  await assert.rejects(
    writeReport({ results: [empty], out: tmp('out'), pdf: false }),
    (e: unknown) =>
      e instanceof BioprobeError && e.oneLine() === `${empty}: no results.csv in this directory or below it (run \`bioprobe probe\` first)`,
  );
});

test("the paper's grid (7 models x 3 datasets, 32 classes) renders every part", async () => {
  const root = tmp('in');
  writePaperScaleStudy(root);
  const r = await writeReport({ results: [root], out: tmp('out'), pdf: false });
  const html = readFileSync(r.html, 'utf8');
  const names = r.figures.map((f) => f.replace(/.*\//, ''));
  assert.deepEqual(names.slice(0, 4), ['fig1-lengths.svg', 'fig2-pipeline.svg', 'fig3-layers.svg', 'fig4-finetune.svg']);
  assert.equal(names.filter((n) => n.startsWith('fig5-confusion')).length, 3);
  for (const m of ['AVES-Bio', 'HuBERT', 'W2V2', 'WavLM', 'W2V2-100h', 'W2V2-960h', 'WavLM-100h', 'Species_31'])
    assert.ok(html.includes(m), m);
  // Table III: 7 model rows + fusion, PT and PT + FT groups
  const t3 = html.slice(html.indexOf('id="table-results"'), html.indexOf('</figure>', html.indexOf('id="table-results"')));
  assert.equal((t3.match(/<tr class=/g) ?? []).length, 8);
  assert.ok(t3.includes('>PT</th>') && t3.includes('>PT + FT</th>'));
});

test('an --out that is a file is a one-line error; a Chromium that fails costs only the PDF', async () => {
  const root = tmp('in');
  const dirs = writeFixtureStudy(root);
  const file = join(root, 'a-file');
  writeFileSync(file, 'x');
  await assert.rejects(
    writeReport({ results: [dirs[0]], out: file, pdf: false }),
    (e: unknown) => e instanceof BioprobeError && e.code === 'out-not-dir',
  );
  const r = await writeReport({ results: [dirs[0]], out: tmp('out'), chromiumPath: file });
  assert.ok(existsSync(r.html));
  assert.equal(r.pdf, undefined);
  assert.match(r.pdfSkipped ?? '', /could not start Chromium/);
});

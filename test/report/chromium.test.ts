/**
 * The report in a real browser: headless Chromium opens report.html (no console errors, no request
 * besides the page), takes a screenshot, and prints the PDF whose text must carry Table III's numbers.
 * Skipped with a reason where Chromium or poppler-utils (pdfinfo, pdftotext) are not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findChromium, launchChromium, writeReport } from '../../lib/report/index.js';
import { buildStudy } from '../../lib/report/study.js';
import { loadResultsDir, discoverResultsDirs } from '../../lib/results/index.js';
import { scoreTable } from '../../lib/report/tables.js';
import { HOSTILE, writeFixtureStudy } from './fixtures.js';
import { tempDir } from './temp.js';

const chromium = findChromium();
const poppler = spawnSync('pdftotext', ['-v']).error === undefined && spawnSync('pdfinfo', ['-v']).error === undefined;
const noChromium = !chromium && 'no Chromium found (apt-get install chromium, or set CHROME_PATH)';

async function rendered(pdf: boolean) {
  const root = tempDir('chr-in');
  writeFixtureStudy(root, { hostile: true });
  const out = tempDir('chr-out');
  return { root, out, result: await writeReport({ results: [root], out, pdf }) };
}

test('report.html in headless Chromium: no console errors, no requests but the page, a screenshot', {
  skip: noChromium,
  timeout: 120_000,
}, async (t) => {
  const { result } = await rendered(false);
  const session = await launchChromium(chromium!);
  try {
    const page = await session.browser.newPage();
    const pageUrl = pathToFileURL(result.html).href;
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => {
      if (r.url() !== pageUrl) requests.push(r.url());
    });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.route('**/*', (route) => (route.request().url() === pageUrl ? route.continue() : route.abort()));
    await page.goto(pageUrl, { waitUntil: 'networkidle' });
    assert.deepEqual(requests, [], 'no request besides the page itself');
    assert.deepEqual(problems, [], 'no console errors, no script ran');
    assert.ok((await page.locator('svg').count()) >= 5);
    // The hostile class name shows up as text, and no <img> exists anywhere.
    assert.equal(await page.locator('img').count(), 0);
    assert.ok((await page.textContent('body'))!.includes(HOSTILE));
    // kept for a reader to look at (a fresh temp folder, not removed)
    const shot = join(mkdtempSync(join(tmpdir(), 'bioprobe-report-screenshot-')), 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 20_000, 'a screenshot with content');
    t.diagnostic(`screenshot: ${shot}`);
  } finally {
    await session.close();
  }
});

test("report.pdf: several A4 pages whose text carries Table III's numbers", {
  skip: noChromium || (!poppler && 'poppler-utils (pdfinfo, pdftotext) not installed'),
  timeout: 120_000,
}, async () => {
  const { root, result } = await rendered(true);
  assert.ok(result.pdf, 'a PDF was written');
  const info = spawnSync('pdfinfo', [result.pdf!], { encoding: 'utf8' }).stdout;
  const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
  assert.ok(pages >= 3 && pages <= 12, `pages: ${pages}`);
  assert.match(info, /Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/);
  const text = spawnSync('pdftotext', ['-layout', result.pdf!, '-'], { encoding: 'utf8' }).stdout;
  const study = buildStudy(discoverResultsDirs([root]).map((d) => loadResultsDir(d)));
  const table = scoreTable(study, 'selected')!;
  const numbers = table.rows.flatMap((r) => r.cells.map((c) => c.text)).filter((t) => /\d/.test(t));
  assert.ok(numbers.length >= 8);
  for (const n of numbers) assert.ok(text.includes(n), `Table III number ${n} in the PDF text`);
  assert.match(text, /^\s*Table III\s*$/m, 'the table caption reads back as text');
  assert.ok(readFileSync(result.pdf!).subarray(0, 5).toString() === '%PDF-');
});

/**
 * The notebook helpers of the four analyses: each returns HTML holding the report's chart (inert SVG)
 * and the numbers it states (recall summary and unseparated classes, weighted UAR, CKA clips); class
 * names are escaped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ckaHtml, classRecallHtml, labelEfficiencyHtml, weightedProbeHtml } from '../../lib/notebook/index.js';
import { assertSafeSvg } from '../../lib/report/index.js';
import { writeAnalysisStudy } from '../report/analysisStudy.js';
import { tempDir } from '../report/temp.js';

const root = writeAnalysisStudy(tempDir('nb-an'));
const svgOf = (html: string) => {
  const m = /<svg[\s\S]*<\/svg>/.exec(html);
  assert.ok(m, 'an SVG');
  assertSafeSvg(m[0]);
  return m[0];
};

test('classRecallHtml: summary, heatmap, the classes no layer separates', async () => {
  const html = await classRecallHtml(join(root, 'probe'));
  assert.match(html, /mean over 3 seed\(s\); classes ordered by recall at layer 3 \(chosen on val UAR/);
  assert.match(html, /Classes no layer separates \(mean test recall below 0.5 at every layer; chance 0.200\)/);
  assert.match(html, /<td[^>]*>d<\/td>/);
  svgOf(html);
  assert.match(await classRecallHtml(join(root, 'probe'), { threshold: 0.05 }), /Every class reaches a mean test recall of 0.05/);
});

test('weightedProbeHtml, labelEfficiencyHtml and ckaHtml draw their figures', async () => {
  const w = await weightedProbeHtml(join(root, 'weighted'));
  assert.match(w, /test UAR 70.00 %, val UAR 71.00 % \(mean over 3 seed\(s\)\)/);
  svgOf(w);
  svgOf(await labelEfficiencyHtml([join(root, 'labels')]));
  const c = await ckaHtml(join(root, 'cka', 'cka.json'));
  assert.match(c, /Linear CKA \(exact, raw features\) on 60 clips/);
  assert.equal((c.match(/<svg/g) ?? []).length, 1, 'one heatmap: the pair of two models');
});

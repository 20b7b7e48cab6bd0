import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertSafeSvg, inlineSvg, renderSvg } from '../../lib/report/svg.js';
import { confusionChart } from '../../lib/report/figures/confusion.js';
import { HOSTILE } from './fixtures.js';

test('vega escapes hostile text in SVG text and the SVG stays inert', async () => {
  const svg = await renderSvg(
    {
      data: {
        values: [
          { a: HOSTILE, b: 1 },
          { a: 'x"y\'&z', b: 2 },
        ],
      },
      mark: 'bar',
      encoding: { x: { field: 'a', type: 'nominal', axis: { labelLimit: 0 } }, y: { field: 'b', type: 'quantitative' } },
      title: HOSTILE,
    },
    't',
  );
  assert.ok(!svg.includes('<img') && !svg.includes('</script>'), 'no raw markup');
  assert.ok(svg.includes('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;'), 'the label is there, escaped');
  assert.doesNotThrow(() => assertSafeSvg(svg));
});

test('ids are prefixed so several SVGs can share a page; inline SVG drops namespace URLs', async () => {
  const spec = confusionChart({
    classes: ['a', 'b'],
    counts: [
      [1, 1],
      [0, 2],
    ],
    source: 'fusion',
    isFusion: true,
    uar: 75,
    n: 4,
  });
  const svg = await renderSvg(spec, 'fig5-x');
  const ids = [...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(ids.length > 0 && ids.every((id) => id.startsWith('fig5-x-')), ids.join());
  const inline = inlineSvg(svg, 'Figure "5"');
  assert.ok(!/xmlns|http/.test(inline));
  assert.match(inline, /^<svg role="img" aria-label="Figure &quot;5&quot;"/);
});

test('assertSafeSvg refuses active or external content', () => {
  for (const bad of [
    '<svg><script>x</script></svg>',
    '<svg><a href="http://e">x</a></svg>',
    '<svg><rect onload="x"/></svg>',
    '<svg><image href="x.png"/></svg>',
    '<svg><foreignObject/></svg>',
  ]) {
    assert.throws(() => assertSafeSvg(bad), /refusing/, bad);
  }
});

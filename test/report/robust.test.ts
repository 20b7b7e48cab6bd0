/** Odd but possible inputs render a report without crashing and without empty figures. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeReport } from '../../lib/report/index.js';
import { writeNpy } from '../../lib/util/npy.js';
import { tempDir } from './temp.js';

function resultsDir(name: string, csv: string, extra: Record<string, string> = {}): string {
  const d = join(tempDir('odd'), name);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'results.csv'), csv);
  for (const [f, body] of Object.entries(extra)) writeFileSync(join(d, f), body);
  return d;
}

async function render(dirs: string[]): Promise<string> {
  const out = tempDir('odd-out');
  const r = await writeReport({ results: dirs, out, pdf: false });
  const html = readFileSync(r.html, 'utf8');
  assert.ok(!/<div class="panels">\s*<\/div>/.test(html), 'no empty figure');
  assert.ok(!html.includes('NaN') && !html.includes('undefined') && !html.includes('Infinity'), 'no NaN/undefined in the text');
  return html;
}

test('only validation rows: no score table or layer plot, still a report', async () => {
  const html = await render([resultsDir('a', 'model,dataset,layer,seed,split,uar\nm,d,0,1,val,0.5\nm,d,1,1,val,0.6\n')]);
  assert.ok(html.includes('Fig. 1.'), 'the pipeline figure');
  assert.ok(!html.includes('Fig. 2.'));
});

test('a single layer, a single class, a baseline model type and extra columns', async () => {
  const d = resultsDir(
    'b',
    'model,dataset,layer,seed,split,uar,accuracy,epochs,loss,extra\nbaseline:logmel,folder:/x/frogs,0,1,val,1,1,3,0.1,z\nbaseline:logmel,folder:/x/frogs,0,1,test,1,1,3,0.1,z\n',
    {
      'classes.json': '["only"]',
      'split.csv': 'index,path,label,split\n0,a.wav,only,test\n',
      'manifest.json': JSON.stringify({ features: { layers: 1, dim: 128, modelInfo: { type: 'baseline', name: 'log-mel' } } }),
    },
  );
  mkdirSync(join(d, 'predictions'));
  writeNpy(join(d, 'predictions', 'layer_00.test.npy'), new Float32Array([1]), [1, 1]);
  const html = await render([d]);
  assert.ok(html.includes('frogs') && html.includes('log-mel') && html.includes('100.00'));
  assert.ok(html.includes('Comparing') === false && html.includes('Layer-wise probing of log-mel'));
});

test('results for a model on many datasets and a fused dir without predictions', async () => {
  const rows = ['model,dataset,layer,seed,split,uar'];
  for (let k = 0; k < 5; k++)
    for (let l = 0; l < 3; l++)
      for (const s of ['val', 'test']) rows.push(`hubert-base,csv:/d/set${k}.csv,${l},1,${s},${0.3 + 0.1 * l + 0.01 * k}`);
  const html = await render([
    resultsDir('c', rows.join('\n')),
    resultsDir('f', 'model,dataset,layer,seed,split,uar\nfusion,csv:/d/set0.csv,fusion,1,test,0.9\n'),
  ]);
  for (let k = 0; k < 5; k++) assert.ok(html.includes(`set${k}`));
  assert.ok(html.includes('Fusion'));
});

test('hostile dataset specs, model ids and manifest values are escaped everywhere', async () => {
  const evil = '"><img src=x onerror=alert(2)>';
  const spec = `csv:/x/${evil}.csv`;
  const model = `m${evil}`;
  const rows = ['model,dataset,layer,seed,split,uar'];
  for (const l of [0, 1])
    for (const s of ['val', 'test']) rows.push(`"${model.replace(/"/g, '""')}","${spec.replace(/"/g, '""')}",${l},1,${s},0.${5 + l}`);
  const d = resultsDir('h', rows.join('\n') + '\n', {
    'classes.json': JSON.stringify([evil, 'b']),
    'split.csv': `index,path,label,split\n0,"${evil.replace(/"/g, '""')}.wav","${evil.replace(/"/g, '""')}",test\n1,b.wav,b,test\n`,
    'manifest.json': JSON.stringify({
      protocol: { [evil]: evil },
      versions: { x: evil },
      features: { modelInfo: { file: `/m/${evil}.onnx`, sha256: evil, pretraining: evil, type: evil } },
    }),
  });
  mkdirSync(join(d, 'predictions'));
  writeNpy(join(d, 'predictions', 'layer_01.test.npy'), new Float32Array([0.9, 0.1, 0.2, 0.8]), [2, 2]);
  const html = await render([d]);
  assert.ok(!html.includes('<img') && !html.includes(evil), 'never raw');
  assert.ok(html.includes('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;'), 'shown escaped');
  assert.equal((html.match(/<svg\b/g) ?? []).length, 3, 'pipeline, layers, confusion');
});

test('a manifest without a parameter count: no count is shown (a dash beside counted models) and the report says why; it never opens a model', async () => {
  const d = resultsDir('p', 'model,dataset,layer,seed,split,uar\nhubert_tiny.onnx,d,0,1,test,0.5\nhubert_tiny.onnx,d,1,1,test,0.6\n', {
    'manifest.json': JSON.stringify({
      features: {
        layers: 5,
        dim: 128,
        modelInfo: { id: 'hubert_tiny.onnx', file: resolve('test/fixtures/models/hubert_tiny.onnx'), layers: 5 },
      },
    }),
  });
  const out = tempDir('odd-out');
  const r = await writeReport({ results: [d], out, pdf: false });
  const html = readFileSync(r.html, 'utf8');
  const table = html.slice(html.indexOf('id="table-models"'), html.indexOf('</figure>', html.indexOf('id="table-models"')));
  assert.doesNotMatch(table, /parameters P \[M\]/, 'no count anywhere: the column is left out');
  assert.ok(
    r.warnings.some((w) => /hubert_tiny: its features manifest records no parameter count/.test(w)),
    r.warnings.join('\n'),
  );
});

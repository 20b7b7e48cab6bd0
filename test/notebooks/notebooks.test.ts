/**
 * Every notebook executes headless (jupyter nbconvert --execute with the tslab kernel) without an
 * error and without anything on stderr, on a small experiment (synthetic:96, two tiny fixture models,
 * the log-mel baseline) written here, so the whole area stays within a minute or two.
 * Needs: Debian's jupyter-nbconvert, python3-nbclient, python3-ipython; tslab (devDependency); dist/
 * (built by npm ci). Skips, saying which is missing, when one is absent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { newestSourceMtime } from '../../lib/doctor/storage.js';

const NOTEBOOKS = ['01-datasets', '02-extract', '03-layerwise-probing', '04-fusion-and-report', '05-analyses'];
const PY = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const TSLAB = resolve('node_modules/.bin/tslab');

function works(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0;
}

function missing(): string | false {
  if (!works('jupyter-nbconvert', ['--version']))
    return 'jupyter-nbconvert absent (apt-get install -y jupyter-nbconvert python3-nbclient python3-ipython)';
  if (!works(PY, ['-c', 'import nbclient, IPython']))
    return `nbclient/IPython not importable by ${PY} (apt-get install -y python3-nbclient python3-ipython)`;
  if (!existsSync(TSLAB)) return 'tslab absent (npm ci installs it)';
  if (!existsSync('dist/index.js')) return 'dist/ not built (npm run build)';
  if (newestSourceMtime('lib') > statSync('dist/index.js').mtimeMs)
    return 'dist/ is older than lib/ (npm run build): the notebooks run the built package';
  return false;
}

const skip = missing();

interface Output {
  output_type: string;
  name?: string;
  text?: string[];
  ename?: string;
  evalue?: string;
}
interface Cell {
  cell_type: string;
  outputs?: Output[];
  source: string[];
}

test('every notebook executes headless without errors', { skip, timeout: 900_000 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bp-notebooks-'));
  const prefix = join(tmp, 'jupyter');
  const inst = spawnSync(process.execPath, [TSLAB, 'install', `--python=${PY}`, `--prefix=${prefix}`], { encoding: 'utf8' });
  assert.equal(inst.status, 0, `tslab install: ${inst.stderr}`);
  const fixture = (f: string) => resolve('test/fixtures/models', f);
  const experiment = join(tmp, 'small.yaml');
  writeFileSync(
    experiment,
    [
      'name: notebook-test',
      'datasets: [synthetic:96]',
      'models:',
      `  - ${fixture('hubert_tiny.onnx')}`,
      `  - ${fixture('w2v2_ctc_tiny.onnx')}`,
      '  - baseline:logmel',
      `output: ${join(tmp, 'report')}`,
      `cache: ${join(tmp, 'cache')}`,
      'report: { pdf: false }',
    ].join('\n') + '\n',
  );
  const env = {
    ...process.env,
    PATH: `${resolve('node_modules/.bin')}${delimiter}${process.env.PATH ?? ''}`,
    JUPYTER_PATH: join(prefix, 'share', 'jupyter'),
    BIOPROBE_EXPERIMENT: experiment,
  };
  for (const name of NOTEBOOKS) {
    const out = join(tmp, `${name}.out.ipynb`);
    const r = spawnSync(
      'jupyter-nbconvert',
      [
        '--to',
        'notebook',
        '--execute',
        `notebooks/${name}.ipynb`,
        '--output',
        out,
        '--ExecutePreprocessor.kernel_name=tslab',
        '--ExecutePreprocessor.timeout=300',
      ],
      { encoding: 'utf8', env },
    );
    assert.equal(r.status, 0, `${name}: ${r.stderr.split('\n').slice(-15).join('\n')}`);
    const cells = (JSON.parse(readFileSync(out, 'utf8')) as { cells: Cell[] }).cells.filter((c) => c.cell_type === 'code');
    for (const c of cells) {
      for (const o of c.outputs ?? []) {
        const where = `${name}, cell "${c.source.join('').slice(0, 60)}"`;
        assert.notEqual(o.output_type, 'error', `${where}: ${o.ename}: ${o.evalue}`);
        assert.ok(
          !(o.output_type === 'stream' && o.name === 'stderr'),
          `${where} wrote to stderr: ${(o.text ?? []).join('').slice(0, 500)}`,
        );
      }
    }
    assert.ok(
      cells.some((c) => (c.outputs ?? []).some((o) => o.output_type === 'display_data')),
      `${name} displayed nothing`,
    );
  }
  assert.ok(existsSync(join(tmp, 'report', 'report.html')), 'notebook 04 wrote the report');
});

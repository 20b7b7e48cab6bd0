import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadExperiment } from '../../lib/experiment/load.js';

function runCli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('bioprobe run on an invalid file exits 1 with one line naming file:line and field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bp-cli-'));
  const f = join(dir, 'bad.yaml');
  writeFileSync(f, 'name: x\ndatasets: [synthetic:10]\nmodels:\n  - baseline:logmel\n  - id: nope\n    file: a.onnx\n');
  const r = runCli(['run', f]);
  assert.equal(r.code, 1);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /bad\.yaml:5: models\[1\]: give exactly one of `id`/);
});

test('the shipped experiment files validate', () => {
  const opts = { threads: 2, cacheDir: '/tmp/bp-cache' };
  const demo = loadExperiment('experiments/demo.yaml', opts);
  assert.equal(demo.output, resolve('reports/demo'));
  assert.deepEqual(
    demo.models.map((m) => m.ref.kind),
    ['file', 'file', 'file', 'baseline'],
  );
  const paper = loadExperiment('experiments/paper.yaml', opts);
  assert.equal(paper.protocol, 'paper');
  assert.equal(paper.probe.select, 'last');
  assert.equal(paper.models.length, 7);
  assert.deepEqual(
    paper.datasets.map((d) => d.spec.split(':')[0]),
    ['watkins', 'imv', 'abzaliev'],
  );
});

test('bioprobe run with a missing file or bad --threads is a one-line usage error', () => {
  assert.match(runCli(['run', 'experiments/nope.yaml']).stderr, /nope\.yaml: no such experiment file/);
  assert.match(runCli(['run', 'experiments/demo.yaml', '--threads', '0']).stderr, /--threads must be a positive integer/);
  assert.match(
    runCli(['run', 'experiments/demo.yaml', '--until', 'lunch']).stderr,
    /--until must be extract, probe, fuse, analyze or report/,
  );
});

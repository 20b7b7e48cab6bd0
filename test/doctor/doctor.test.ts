import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { doctorFailed, formatDoctor, runDoctor, systemHost } from '../../lib/doctor/index.js';
import { checkNode } from '../../lib/doctor/runtime.js';
import { checkChromium, checkJupyter, checkTorch } from '../../lib/doctor/tools.js';
import { checkStorage } from '../../lib/doctor/storage.js';
import type { DoctorHost } from '../../lib/doctor/types.js';

/** A machine with nothing optional: every external program is absent, disks nearly full, HOME read-only. */
function bareHost(over: Partial<DoctorHost> = {}): DoctorHost {
  return {
    env: { HOME: '/home/u' },
    run: async () => null,
    exists: () => false,
    freeBytes: () => 100 * 1024 ** 2,
    writable: (dir) => !dir.startsWith('/home/u'),
    ...over,
  };
}

test('a bare machine: every optional feature is reported with its fix', async () => {
  const host = bareHost();
  const chromium = await checkChromium(host);
  assert.equal(chromium.status, 'warn');
  assert.match(chromium.fix!, /apt-get install chromium/);
  const jupyter = await checkJupyter(host, '/repo');
  assert.deepEqual(
    jupyter.map((c) => c.status),
    ['warn', 'warn', 'warn'],
  );
  assert.match(jupyter[0].fix!, /jupyter-nbconvert python3-nbclient python3-ipython/);
  assert.match(jupyter[2].fix!, /npm ci/);
  const torch = await checkTorch(host);
  assert.equal(torch.status, 'warn');
  assert.match(torch.fix!, /python3-torch python3-torchaudio/);
  const storage = checkStorage(host, '/repo', '/home/u/.cache/bioprobe');
  assert.equal(storage[0].status, 'missing'); // not writable
  assert.match(storage[0].detail, /not writable/);
  assert.equal(storage[2].status, 'warn'); // 0.1 GB free
  assert.match(storage[3].fix!, /npm run build/);
  const text = formatDoctor([checkNode(), chromium, ...jupyter, torch, ...storage]);
  assert.match(text, /fix: install Chromium/);
  assert.match(text, /bioprobe runs; the items above only limit optional features/);
});

test('CHROME_PATH is honoured, and a tslab kernel spec is found through jupyter_client', async () => {
  const host = bareHost({
    env: { CHROME_PATH: '/opt/chrome' },
    exists: (p) => p === '/opt/chrome' || p.endsWith('node_modules/.bin/tslab'),
    run: async (cmd, args) => {
      if (cmd === '/opt/chrome') return { code: 0, stdout: 'Chromium 1.2.3\n', stderr: '' };
      if (args.join(' ').includes('KernelSpecManager')) return { code: 0, stdout: '{"tslab": "/k/tslab"}\n', stderr: '' };
      return null;
    },
  });
  const c = await checkChromium(host);
  assert.equal(c.status, 'ok');
  assert.match(c.detail, /Chromium 1\.2\.3 at \/opt\/chrome/);
  const j = await checkJupyter(host, '/repo');
  assert.equal(j[2].status, 'ok');
  assert.match(j[2].detail, /\/k\/tslab/);
});

test('an old Node is a required failure', () => {
  const c = checkNode('20.10.0');
  assert.equal(c.status, 'missing');
  assert.ok(doctorFailed([c]));
  assert.ok(!doctorFailed([checkNode('20.19.0'), checkNode('22.1.0')]));
});

test('on this machine onnxruntime really runs a CPU session, and CUDA is answered either way', async () => {
  const checks = await runDoctor({ host: systemHost(), repo: process.cwd(), cacheDir: '/tmp/bp-doctor-cache' });
  const ort = checks.find((c) => c.name === 'onnxruntime-node')!;
  assert.equal(ort.status, 'ok', ort.detail);
  assert.match(ort.detail, /a CPU session ran/);
  const cuda = checks.find((c) => c.name === 'CUDA provider')!;
  assert.ok(
    cuda.status === 'ok'
      ? /session ran on the CUDA provider/.test(cuda.detail)
      : /ONNXRUNTIME_NODE_INSTALL=cuda12 node \S+onnxruntime-node\/script\/install\.js/.test(cuda.fix!),
  );
  assert.ok(!doctorFailed(checks));
});

test('bioprobe doctor --json prints the checks and exits 0 here', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', 'doctor', '--json', '--no-cuda'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const checks = JSON.parse(r.stdout) as { name: string }[];
  assert.ok(checks.some((c) => c.name === 'Chromium'));
  assert.ok(!checks.some((c) => c.name === 'CUDA provider'));
});

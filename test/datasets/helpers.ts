/** Shared helpers for the datasets tests: temp folders and small real WAV files. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { BioprobeError } from '../../lib/util/errors.js';
import { encodeWavPcm16 } from '../../lib/audio/wavEncode.js';

/** A fresh temp folder, removed when the test file ends. */
export function tempDir(prefix = 'bioprobe-ds-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** Write `text` at `root/rel`, creating folders. */
export function put(root: string, rel: string, text: string | Buffer): string {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

/** Write a real 16-bit mono WAV of `seconds` at `rate` (a quiet sine). */
export function putWav(root: string, rel: string, seconds = 0.1, rate = 16000): string {
  const n = Math.round(seconds * rate);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = 0.1 * Math.sin((2 * Math.PI * 440 * i) / rate);
  return put(root, rel, encodeWavPcm16(x, rate));
}

/** Assert `fn` throws a BioprobeError whose one-line text (file: message (hint)) matches `re`. */
export function throwsLine(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof BioprobeError, `BioprobeError expected, got ${String(err)}`);
    assert.match(err.oneLine(), re);
    return true;
  });
}

/** Run the real CLI from sources through tsx (the pattern of test/cli.test.ts). */
export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** runCli without blocking, so independent invocations can run side by side. */
export function runCliAsync(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', ...args], { env: { ...process.env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The memoised file hash (checkpoints' files and tapped ONNX sources): reused while the file is unchanged, redone when it changes. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoSha256File, sha256, sha256File } from '../../lib/util/hash.js';

test('memoSha256File: the file sha256, recorded by path, size, mtime and inode; a changed file is hashed again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bioprobe-hash-'));
  try {
    const file = join(dir, 'model.onnx');
    const memo = join(dir, 'cache', 'models', 'sha256.json');
    writeFileSync(file, 'first');
    assert.equal(await memoSha256File(file, memo), sha256('first'));
    assert.equal(await sha256File(file), sha256('first'));
    const recorded = JSON.parse(readFileSync(memo, 'utf8')) as Record<string, { sha256: string }>;
    assert.equal(Object.values(recorded)[0].sha256, sha256('first'));
    // a forged memo entry with the file's current stat is trusted (that is what saves reading the file) ...
    const key = Object.keys(recorded)[0];
    writeFileSync(memo, JSON.stringify({ [key]: { ...recorded[key], sha256: 'f'.repeat(64) } }));
    assert.equal(await memoSha256File(file, memo), 'f'.repeat(64));
    // ... and any change of content (size or mtime) is hashed again
    writeFileSync(file, 'second, longer');
    assert.equal(await memoSha256File(file, memo), sha256('second, longer'));
    writeFileSync(file, 'third!, longer');
    utimesSync(file, new Date(2020, 0, 1), new Date(2020, 0, 1));
    assert.equal(await memoSha256File(file, memo), sha256('third!, longer'));
    // an unreadable memo is rebuilt, not fatal
    writeFileSync(memo, '{ not json');
    assert.equal(await memoSha256File(file, memo), sha256('third!, longer'));
    // without a memo file: plain sha256File
    assert.equal(await memoSha256File(file), sha256('third!, longer'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

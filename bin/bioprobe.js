#!/usr/bin/env node
// The `bioprobe` command. Runs the compiled CLI (dist/, built by `npm ci` through the prepare script).
// In a source checkout where lib/ is newer than dist/ (or dist/ is missing), it runs the TypeScript
// sources through tsx instead, so an edited checkout never silently runs a stale build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist', 'cli', 'main.js');
const sources = join(root, 'lib');

/** Newest modification time of the .ts files under a folder (0 when it does not exist). */
function newestSource(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const distFresh = existsSync(dist) && statSync(dist).mtimeMs >= newestSource(sources);
if (distFresh || !existsSync(join(sources, 'cli', 'main.ts'))) {
  await import(dist);
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write('bioprobe: dist/ is older than lib/ and tsx is not installed (run `npm run build`)\n');
    process.exit(1);
  }
  register();
  await import(join(sources, 'cli', 'main.ts'));
}

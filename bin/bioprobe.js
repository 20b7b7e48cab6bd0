#!/usr/bin/env node
// The `bioprobe` command. Runs the compiled CLI (dist/, built by `npm ci` through the prepare script);
// in a source checkout without dist/ it falls back to the TypeScript sources through tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (existsSync(dist)) {
  await import(dist);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(fileURLToPath(new URL('../lib/cli/main.ts', import.meta.url)));
}

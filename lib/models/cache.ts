/**
 * Where bioprobe keeps derived model files: `$BIOPROBE_CACHE` or ~/.cache/bioprobe. Callers pass the
 * folder in as an option; this is only the documented default they resolve it with.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The cache root: `env.BIOPROBE_CACHE`, else ~/.cache/bioprobe. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.BIOPROBE_CACHE || join(homedir(), '.cache', 'bioprobe');
}

/** Hex sha256 of a file, streamed (model files are hundreds of MB). */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Where bioprobe keeps what it derives (synthetic audio, tapped and built models, zoo downloads):
 * `$BIOPROBE_CACHE`, else ~/.cache/bioprobe. Library code takes the folder as an option; the CLI
 * resolves this default from the environment it is given.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The cache root for an environment (pass `process.env`; nothing is read implicitly). */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  return env.BIOPROBE_CACHE ? env.BIOPROBE_CACHE : join(homedir(), '.cache', 'bioprobe');
}

/** Where per-file sha256 are memoised under a cache root (checkpoints' files, tapped ONNX sources: util/hash.ts memoSha256File). */
export function sha256Memo(cacheDir: string): string {
  return join(cacheDir, 'models', 'sha256.json');
}

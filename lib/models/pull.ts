/**
 * Getting a zoo model's public ONNX export (`models pull <id> --onnx`; zoo ids otherwise resolve to their
 * original checkpoints, checkpointPull.ts), offline first:
 *   1. a file placed by hand at `<cache>/models/zoo/<id>/<file name>` is used as is (for models without a
 *      public export, a `model.onnx` of your own, e.g. from `bioprobe models import`);
 *   2. a copy in the Hugging Face cache (HF_HUB_CACHE / HF_HOME layout, shared with Python) is used;
 *   3. otherwise it is downloaded: Hugging Face files through @huggingface/hub's metadata (HF_TOKEN and
 *      HF_ENDPOINT honoured; the hub's LFS sha256 verified; partial downloads resumed) into the HF cache,
 *      plain URLs (AVES) into the bioprobe cache.
 * The full-precision export is the default; a quantized/fp16 file is taken only when `variant` names it.
 * Which file was taken is recorded in `<cache>/models/zoo/<id>/pull.json`. Offline, it fails fast and
 * says which file to place where.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ModelError } from '../util/errors.js';
import { defaultCacheDir } from '../util/cache.js';
import { sha256File } from '../util/hash.js';
import { downloadResumable, DownloadNetworkError } from './download.js';
import { downloadHubFile, findInHfCache, hubFiles, hubOf, resolveUrl, type HubOptions } from './hub.js';
import { zoo, type ZooEntry } from './zoo.js';

export interface PullOptions extends HubOptions {
  /** A published variant other than the full-precision default (e.g. 'quantized', 'fp16'). */
  variant?: string;
  /** bioprobe cache root (default `$BIOPROBE_CACHE` or ~/.cache/bioprobe). */
  cacheDir?: string;
  /** Look only in the caches; never touch the network. */
  offline?: boolean;
}

export interface PulledModel {
  id: string;
  /** Local path of the ONNX file. */
  path: string;
  /** 'default' for the full-precision export, else the variant's name. */
  variant: string;
  /** File within the source (repo path or URL file name). */
  file: string;
  source: string;
  sha256: string;
  /** How it was found: placed by hand, found in the HF cache, or downloaded now. */
  origin: 'placed' | 'hf-cache' | 'downloaded';
  commit?: string;
}

/** Where a hand-placed file for a zoo entry is looked for. */
export function placedPath(entry: ZooEntry, file: string, cacheDir: string): string {
  return join(cacheDir, 'models', 'zoo', entry.id, basename(file));
}

function chooseFile(entry: ZooEntry, variant: string | undefined): { file: string; variant: string } {
  if (!entry.onnx) return { file: 'model.onnx', variant: 'default' }; // only a hand-made export can exist
  if (!variant || variant === 'default') return { file: entry.onnx.file, variant: 'default' };
  const file = entry.onnx.variants[variant];
  if (!file) {
    throw new ModelError('unknown-variant', `${entry.id} has no variant "${variant}"`, {
      hint: `available: default (full precision)${Object.keys(entry.onnx.variants)
        .map((v) => `, ${v}`)
        .join('')}`,
    });
  }
  return { file, variant };
}

function record(cacheDir: string, pulled: PulledModel): PulledModel {
  const dir = join(cacheDir, 'models', 'zoo', pulled.id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'pull.json'), JSON.stringify({ ...pulled, recordedAt: new Date().toISOString() }, null, 1) + '\n');
  return pulled;
}

/** Resolve a zoo id to a local ONNX file, downloading it when needed and allowed. */
export async function pullModel(id: string, opts: PullOptions = {}): Promise<PulledModel> {
  const entry = zoo.get(id);
  const { file, variant } = chooseFile(entry, opts.variant);
  const env = opts.env ?? process.env;
  const cacheDir = opts.cacheDir ?? defaultCacheDir(env);
  const placed = placedPath(entry, file, cacheDir);
  const src = entry.onnx;
  if (!src) {
    if (existsSync(placed))
      return record(cacheDir, {
        id,
        variant,
        file,
        source: 'placed by hand',
        path: placed,
        sha256: await sha256File(placed),
        origin: 'placed',
      });
    throw new ModelError('no-onnx-export', `${entry.id} (${entry.checkpoint}) has no public ONNX export`, {
      hint: `bioprobe models pull ${entry.id} (without --onnx) gets its checkpoint, which needs no export (docs/MODELS.md); an ONNX file of your own: place it at ${placed}`,
    });
  }
  const hub = hubOf({ ...opts, env });
  const url = src.kind === 'hf' ? resolveUrl(hub, src.repo, src.revision ?? 'main', file) : src.url;
  const base = { id, variant, file, source: src.kind === 'hf' ? `${src.repo}/${file}` : src.url };

  if (existsSync(placed)) return record(cacheDir, { ...base, path: placed, sha256: await sha256File(placed), origin: 'placed' });
  if (src.kind === 'hf') {
    const cached = findInHfCache(hub, src.repo, file);
    if (cached)
      return record(cacheDir, {
        ...base,
        path: cached.path,
        sha256: await sha256File(cached.path),
        origin: 'hf-cache',
        commit: cached.commit,
      });
  }
  const offlineError = (why: string) =>
    new ModelError('offline', `${id}: ${why}, and ${basename(file)} is not in the cache`, {
      hint: `download ${url} on a connected machine and place it at ${placed}, or pass --model <file.onnx>`,
    });
  if (opts.offline) throw offlineError('offline mode');

  try {
    if (src.kind === 'url') {
      mkdirSync(dirname(placed), { recursive: true });
      const sha = await downloadResumable(url, placed, { connectTimeoutMs: opts.connectTimeoutMs, onProgress: opts.onProgress });
      return record(cacheDir, { ...base, path: placed, sha256: sha, origin: 'downloaded' });
    }
    const revision = src.revision ?? 'main';
    const [info] = await hubFiles(hub, src.repo, revision, [file]);
    if (!info) throw new ModelError('hub-missing-file', `${src.repo} has no file ${file}`);
    const commit = info.lastCommit ?? 'unknown';
    const got = await downloadHubFile(hub, src.repo, revision, info, commit);
    return record(cacheDir, { ...base, path: got.path, sha256: got.sha256, origin: 'downloaded', commit });
  } catch (err) {
    if (err instanceof DownloadNetworkError) throw offlineError(err.message);
    throw err;
  }
}

/** The pull record of a zoo model, when it has been pulled or placed. */
export function readPullRecord(id: string, cacheDir: string): PulledModel | undefined {
  const p = join(cacheDir, 'models', 'zoo', id, 'pull.json');
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as PulledModel) : undefined;
}

/**
 * Getting a zoo model's ONNX file, offline first:
 *   1. a file placed by hand at `<cache>/models/zoo/<id>/<file name>` is used as is (for models without a
 *      public export, `model.onnx` made with the recipe in docs/MODELS.md);
 *   2. a copy in the Hugging Face cache (HF_HUB_CACHE / HF_HOME layout, shared with Python) is used;
 *   3. otherwise it is downloaded: Hugging Face files through @huggingface/hub's metadata (HF_TOKEN and
 *      HF_ENDPOINT honoured; the hub's LFS sha256 verified; partial downloads resumed) into the HF cache,
 *      plain URLs (AVES) into the bioprobe cache.
 * The full-precision export is the default; a quantized/fp16 file is taken only when `variant` names it.
 * Which file was taken is recorded in `<cache>/models/zoo/<id>/pull.json`. Offline, it fails fast and
 * says which file to place where.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { getHFHubCachePath, getRepoFolderName, pathsInfo } from '@huggingface/hub';
import { ModelError } from '../util/errors.js';
import { defaultCacheDir } from '../util/cache.js';
import { sha256File } from '../util/hash.js';
import { downloadResumable, DownloadNetworkError } from './download.js';
import { zoo, type ZooEntry } from './zoo.js';

export interface PullOptions {
  /** A published variant other than the full-precision default (e.g. 'quantized', 'fp16'). */
  variant?: string;
  /** bioprobe cache root (default `$BIOPROBE_CACHE` or ~/.cache/bioprobe). */
  cacheDir?: string;
  /** Hugging Face hub cache (default: HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub). */
  hfCacheDir?: string;
  /** Environment to read HF_TOKEN / HF_ENDPOINT from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Hub URL (default HF_ENDPOINT or https://huggingface.co). */
  hubUrl?: string;
  connectTimeoutMs?: number;
  onProgress?: (done: number, total: number | undefined) => void;
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
      hint: `available: default (full precision)${Object.keys(entry.onnx.variants).map((v) => `, ${v}`).join('')}`,
    });
  }
  return { file, variant };
}

/** A copy of repo/file in the HF cache (any snapshot), if there is one. */
function findInHfCache(hfCache: string, repo: string, file: string): { path: string; commit: string } | undefined {
  const snapshots = join(hfCache, getRepoFolderName({ name: repo, type: 'model' }), 'snapshots');
  if (!existsSync(snapshots)) return undefined;
  for (const commit of readdirSync(snapshots).sort()) {
    const p = join(snapshots, commit, file);
    if (existsSync(p)) return { path: p, commit };
  }
  return undefined;
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
    if (existsSync(placed)) return record(cacheDir, { id, variant, file, source: 'placed by hand', path: placed, sha256: await sha256File(placed), origin: 'placed' });
    throw new ModelError('no-onnx-export', `${entry.id} (${entry.checkpoint}) has no public ONNX export`, {
      hint: `export one with the torch.onnx recipe in docs/MODELS.md and place it at ${placed}, or pass --model <file.onnx>`,
    });
  }
  const hfCache = opts.hfCacheDir ?? env.HF_HUB_CACHE ?? (env.HF_HOME ? join(env.HF_HOME, 'hub') : getHFHubCachePath());
  const hubUrl = (opts.hubUrl ?? env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/$/, '');
  const url = src.kind === 'hf' ? `${hubUrl}/${src.repo}/resolve/${src.revision ?? 'main'}/${file}` : src.url;
  const base = { id, variant, file, source: src.kind === 'hf' ? `${src.repo}/${file}` : src.url };

  if (existsSync(placed)) return record(cacheDir, { ...base, path: placed, sha256: await sha256File(placed), origin: 'placed' });
  if (src.kind === 'hf') {
    const cached = findInHfCache(hfCache, src.repo, file);
    if (cached) return record(cacheDir, { ...base, path: cached.path, sha256: await sha256File(cached.path), origin: 'hf-cache', commit: cached.commit });
  }
  const offlineError = (why: string) => new ModelError('offline', `${id}: ${why}, and ${basename(file)} is not in the cache`, {
    hint: `download ${url} on a connected machine and place it at ${placed}, or pass --model <file.onnx>`,
  });
  if (opts.offline) throw offlineError('offline mode');

  try {
    if (src.kind === 'url') {
      mkdirSync(dirname(placed), { recursive: true });
      const sha = await downloadResumable(url, placed, { connectTimeoutMs: opts.connectTimeoutMs, onProgress: opts.onProgress });
      return record(cacheDir, { ...base, path: placed, sha256: sha, origin: 'downloaded' });
    }
    const token = env.HF_TOKEN ?? env.HUGGING_FACE_HUB_TOKEN;
    const timeout = opts.connectTimeoutMs ?? 15000;
    const timedFetch: typeof fetch = (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(timeout) });
    let info;
    try {
      [info] = await pathsInfo({ repo: src.repo, paths: [file], expand: true, revision: src.revision ?? 'main', hubUrl, fetch: timedFetch, ...(token ? { accessToken: token } : {}) });
    } catch (err) {
      const e = err as { cause?: { code?: string }; name?: string; message: string };
      if (e.name === 'HubApiError') throw new ModelError('hub-error', `${src.repo}: ${e.message}`, { hint: 'set HF_TOKEN if the repository is gated' });
      throw new DownloadNetworkError(`cannot reach ${new URL(hubUrl).host} (${e.cause?.code ?? e.message})`);
    }
    if (!info) throw new ModelError('hub-missing-file', `${src.repo} has no file ${file}`);
    const etag = info.lfs?.oid ?? info.oid ?? 'unknown';
    const commit = info.lastCommit?.id ?? 'unknown';
    const storage = join(hfCache, getRepoFolderName({ name: src.repo, type: 'model' }));
    const blob = join(storage, 'blobs', etag);
    mkdirSync(dirname(blob), { recursive: true });
    let sha = existsSync(blob) ? await sha256File(blob) : undefined;
    if (sha && info.lfs?.oid && sha !== info.lfs.oid) {
      rmSync(blob); // a corrupt blob left by some other tool: fetch it again
      sha = undefined;
    }
    sha ??= await downloadResumable(url, blob, {
      sha256: info.lfs?.oid, connectTimeoutMs: timeout, onProgress: opts.onProgress,
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
    const pointer = join(storage, 'snapshots', commit, file);
    mkdirSync(dirname(pointer), { recursive: true });
    if (!existsSync(pointer)) symlinkSync(relative(dirname(pointer), blob), pointer);
    return record(cacheDir, { ...base, path: pointer, sha256: sha, origin: 'downloaded', commit });
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

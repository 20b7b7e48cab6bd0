/**
 * The Hugging Face hub and its cache, for every pull (ONNX exports and checkpoints): settings from the
 * environment (HF_HUB_CACHE / HF_HOME, HF_ENDPOINT, HF_TOKEN), files found in the cache (the layout
 * Python's huggingface_hub uses, so either can fill it), file metadata through @huggingface/hub
 * (existence, LFS sha256, last commit), and resumable downloads into blobs + snapshot links with the
 * hub's sha256 verified.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { getHFHubCachePath, getRepoFolderName, pathsInfo } from '@huggingface/hub';
import { ModelError } from '../util/errors.js';
import { sha256File } from '../util/hash.js';
import { downloadResumable, DownloadNetworkError } from './download.js';

export interface HubOptions {
  /** Hugging Face hub cache (default: HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub). */
  hfCacheDir?: string;
  /** Environment to read HF_TOKEN / HF_ENDPOINT / HF_HOME from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Hub URL (default HF_ENDPOINT or https://huggingface.co). */
  hubUrl?: string;
  connectTimeoutMs?: number;
  onProgress?: (done: number, total: number | undefined) => void;
}

export interface Hub {
  cache: string;
  url: string;
  token?: string;
  timeoutMs: number;
  onProgress?: (done: number, total: number | undefined) => void;
}

export function hubOf(opts: HubOptions): Hub {
  const env = opts.env ?? process.env;
  return {
    cache: opts.hfCacheDir ?? env.HF_HUB_CACHE ?? (env.HF_HOME ? join(env.HF_HOME, 'hub') : getHFHubCachePath()),
    url: (opts.hubUrl ?? env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/$/, ''),
    token: env.HF_TOKEN ?? env.HUGGING_FACE_HUB_TOKEN,
    timeoutMs: opts.connectTimeoutMs ?? 15000,
    onProgress: opts.onProgress,
  };
}

/** The download URL of a file of a repo at a revision. */
export function resolveUrl(hub: Hub, repo: string, revision: string, file: string): string {
  return `${hub.url}/${repo}/resolve/${revision}/${file}`;
}

function snapshotsDir(hub: Hub, repo: string): string {
  return join(hub.cache, getRepoFolderName({ name: repo, type: 'model' }), 'snapshots');
}

/** Snapshot folders of `repo` in the HF cache, the pinned revision's first when it is a commit. */
export function cachedSnapshots(hub: Hub, repo: string, revision?: string): { dir: string; commit: string }[] {
  const dir = snapshotsDir(hub, repo);
  if (!existsSync(dir)) return [];
  const commits = readdirSync(dir).sort();
  const ordered = revision && commits.includes(revision) ? [revision, ...commits.filter((c) => c !== revision)] : commits;
  return ordered.map((commit) => ({ dir: join(dir, commit), commit }));
}

/** A copy of repo/file in the HF cache (any snapshot), if there is one. */
export function findInHfCache(hub: Hub, repo: string, file: string): { path: string; commit: string } | undefined {
  for (const s of cachedSnapshots(hub, repo)) {
    const p = join(s.dir, file);
    if (existsSync(p)) return { path: p, commit: s.commit };
  }
  return undefined;
}

export interface HubFile {
  path: string;
  /** sha256 (LFS oid) when the file is stored in LFS. */
  lfsSha256?: string;
  /** git blob oid (small files stored in git). */
  oid?: string;
  lastCommit?: string;
  lastCommitDate?: string;
}

/** Metadata of the files of `paths` that exist in repo@revision (absent ones are left out). */
export async function hubFiles(hub: Hub, repo: string, revision: string, paths: string[]): Promise<HubFile[]> {
  const timedFetch: typeof fetch = (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(hub.timeoutMs) });
  try {
    const infos = await pathsInfo({
      repo,
      paths,
      expand: true,
      revision,
      hubUrl: hub.url,
      fetch: timedFetch,
      ...(hub.token ? { accessToken: hub.token } : {}),
    });
    return infos.map((i) => ({
      path: i.path,
      lfsSha256: i.lfs?.oid,
      oid: i.oid,
      lastCommit: i.lastCommit?.id,
      lastCommitDate: i.lastCommit?.date ? String(i.lastCommit.date) : undefined,
    }));
  } catch (err) {
    const e = err as { cause?: { code?: string }; name?: string; message: string };
    if (e.name === 'HubApiError')
      throw new ModelError('hub-error', `${repo}: ${e.message}`, {
        hint: 'set HF_TOKEN if the repository is gated; check the repository id and revision',
      });
    throw new DownloadNetworkError(`cannot reach ${new URL(hub.url).host} (${e.cause?.code ?? e.message})`);
  }
}

/**
 * Download one file of repo@revision into the HF cache: blob named by its LFS sha256 (or git oid),
 * verified against the hub's sha256 (and `expectSha256` when the zoo pins one), linked from
 * snapshots/<snapshot>/<path>. A corrupt blob left by another tool is fetched again.
 */
export async function downloadHubFile(
  hub: Hub,
  repo: string,
  revision: string,
  file: HubFile,
  snapshot: string,
  expectSha256?: string,
): Promise<{ path: string; sha256: string }> {
  const storage = join(hub.cache, getRepoFolderName({ name: repo, type: 'model' }));
  const blob = join(storage, 'blobs', file.lfsSha256 ?? file.oid ?? 'unknown');
  mkdirSync(dirname(blob), { recursive: true });
  const want = expectSha256 ?? file.lfsSha256;
  if (expectSha256 && file.lfsSha256 && expectSha256 !== file.lfsSha256) {
    throw new ModelError(
      'checksum-mismatch',
      `${repo}/${file.path}@${revision}: the hub's sha256 ${file.lfsSha256} differs from the pinned ${expectSha256}`,
      {
        hint: 'the file changed on the hub since bioprobe pinned it; pass the folder you trust with --model',
      },
    );
  }
  let sha = existsSync(blob) ? await sha256File(blob) : undefined;
  if (sha && want && sha !== want) {
    rmSync(blob);
    sha = undefined;
  }
  sha ??= await downloadResumable(resolveUrl(hub, repo, revision, file.path), blob, {
    sha256: want,
    connectTimeoutMs: hub.timeoutMs,
    onProgress: hub.onProgress,
    headers: hub.token ? { Authorization: `Bearer ${hub.token}` } : {},
  });
  const pointer = join(storage, 'snapshots', snapshot, file.path);
  mkdirSync(dirname(pointer), { recursive: true });
  if (!existsSync(pointer)) symlinkSync(relative(dirname(pointer), blob), pointer);
  return { path: pointer, sha256: sha };
}

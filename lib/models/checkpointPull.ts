/**
 * Getting a model's original checkpoint (a zoo id, or any Hugging Face repository id), offline first:
 *   1. files placed by hand in `<cache>/models/zoo/<id>/` (any repo: `<cache>/models/hf/<org>--<name>/`)
 *      are used as they are;
 *   2. a snapshot in the Hugging Face cache holding config.json and weights (the pinned revision's first;
 *      HF_HUB_CACHE / HF_HOME honoured, the layout Python's huggingface_hub uses) is used;
 *   3. otherwise they are downloaded: config.json and the first weights file the repository has
 *      (model.safetensors, its shard index and shards, pytorch_model.bin, its shard index and shards) at
 *      the pinned revision (else main), each checked against the hub's LFS sha256 (and the zoo's pinned
 *      sha256 where it has one), resumed when interrupted; plain URLs (AVES) into the bioprobe cache.
 * What was taken is recorded in `checkpoint.json` beside the placed files. Offline, it fails at once and
 * says which files to fetch and where to place them.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { defaultCacheDir, sha256Memo } from '../util/cache.js';
import { writeJsonAtomic } from '../util/atomic.js';
import { ModelError } from '../util/errors.js';
import { memoSha256File } from '../util/hash.js';
import { downloadResumable, DownloadNetworkError } from './download.js';
import { cachedSnapshots, downloadHubFile, hubFiles, hubOf, resolveUrl, type Hub, type HubOptions } from './hub.js';
import { zoo, type CheckpointSource } from './zoo.js';

/** Weight files looked for in a Hugging Face repository, in order of preference. */
export const HF_WEIGHTS = ['model.safetensors', 'model.safetensors.index.json', 'pytorch_model.bin', 'pytorch_model.bin.index.json'];

/** `org/name`: a Hugging Face repository id. */
export const REPO_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

export interface CheckpointPullOptions extends HubOptions {
  /** bioprobe cache root (default `$BIOPROBE_CACHE` or ~/.cache/bioprobe). */
  cacheDir?: string;
  /** Look only in the caches; never touch the network. */
  offline?: boolean;
  /** A revision (commit, branch or tag) instead of the zoo's pin / main. */
  revision?: string;
}

export interface PulledCheckpoint {
  /** Zoo id or repository id. */
  id: string;
  /** The folder holding the checkpoint's files (what `--model` and openCheckpoint take). */
  path: string;
  files: { name: string; path: string; sha256: string }[];
  /** repo@revision, or the URLs. */
  source: string;
  origin: 'placed' | 'hf-cache' | 'downloaded';
  commit?: string;
}

/** The checkpoint source of a zoo id or a repository id. */
export function checkpointSource(id: string): { key: string; source: CheckpointSource; zooId?: string } {
  if (zoo.has(id)) return { key: id, source: zoo.get(id).source, zooId: id };
  if (REPO_ID.test(id)) return { key: id, source: { kind: 'hf', repo: id } };
  throw new ModelError('unknown-id', `"${id}" is neither a zoo id nor a Hugging Face repository id (org/name)`, {
    hint: `zoo ids: ${zoo.ids().join(', ')}`,
  });
}

/** Where files placed by hand are looked for. */
export function placedDir(id: string, cacheDir: string): string {
  return zoo.has(id) ? join(cacheDir, 'models', 'zoo', id) : join(cacheDir, 'models', 'hf', id.replace('/', '--'));
}

/** Files of an HF checkpoint present in `dir`: config.json and the first weights file (with its shards), else undefined. */
function hfFilesIn(dir: string, weights: string[]): string[] | undefined {
  if (!existsSync(join(dir, 'config.json'))) return undefined;
  for (const w of weights) {
    if (!existsSync(join(dir, w))) continue;
    if (!w.endsWith('.index.json')) return ['config.json', w];
    const shards = shardsOf(join(dir, w));
    if (shards.every((s) => existsSync(join(dir, s)))) return ['config.json', w, ...shards];
  }
  return undefined;
}

function shardsOf(index: string): string[] {
  const map = (JSON.parse(readFileSync(index, 'utf8')) as { weight_map?: Record<string, string> }).weight_map ?? {};
  return [...new Set(Object.values(map))].sort();
}

const urlName = (url: string) => basename(new URL(url).pathname);

async function describe(
  id: string,
  dir: string,
  names: string[],
  source: string,
  origin: PulledCheckpoint['origin'],
  memo: string,
  pinned: Record<string, string> = {},
  commit?: string,
): Promise<PulledCheckpoint> {
  const files = [];
  for (const name of names) {
    const path = join(dir, name);
    const sha256 = await memoSha256File(path, memo);
    if (pinned[name] && pinned[name] !== sha256) {
      throw new ModelError('checksum-mismatch', `${name}: sha256 ${sha256} differs from the published ${pinned[name]}`, {
        file: path,
        hint: 'remove the file and pull again',
      });
    }
    files.push({ name, path, sha256 });
  }
  return { id, path: dir, files, source, origin, ...(commit ? { commit } : {}) };
}

function record(dir: string, pulled: PulledCheckpoint): PulledCheckpoint {
  mkdirSync(dir, { recursive: true });
  writeJsonAtomic(join(dir, 'checkpoint.json'), { ...pulled, recordedAt: new Date().toISOString() }, 1);
  return pulled;
}

/** Download config.json and the first weights file the repository has (with its shards) into the HF cache. */
async function downloadHf(
  hub: Hub,
  repo: string,
  revision: string,
  weights: string[],
  pinned: Record<string, string>,
): Promise<{ dir: string; names: string[]; commit: string }> {
  const found = await hubFiles(hub, repo, revision, ['config.json', ...weights]);
  const config = found.find((f) => f.path === 'config.json');
  const weight = weights.map((w) => found.find((f) => f.path === w)).find(Boolean);
  if (!config || !weight) {
    throw new ModelError(
      'hub-missing-file',
      `${repo}@${revision} has no ${config ? `weights (looked for ${weights.join(', ')})` : 'config.json'}`,
      {
        hint: 'is it a wav2vec2 / HuBERT / WavLM repository in the transformers format?',
      },
    );
  }
  let files = [config, weight];
  if (weight.path.endsWith('.index.json')) {
    // the index first (small), then the shards it names
    const snapshot0 = /^[0-9a-f]{40}$/.test(revision) ? revision : (weight.lastCommit ?? 'unknown');
    const idx = await downloadHubFile(hub, repo, revision, weight, snapshot0, pinned[weight.path]);
    const shards = await hubFiles(hub, repo, revision, shardsOf(idx.path));
    files = [...files, ...shards];
  }
  // one snapshot folder for all files: the pinned commit, else the newest commit that touched any of them
  const commit = /^[0-9a-f]{40}$/.test(revision)
    ? revision
    : ([...files].sort((a, b) => String(b.lastCommitDate ?? '').localeCompare(String(a.lastCommitDate ?? '')))[0].lastCommit ?? 'unknown');
  for (const f of files) await downloadHubFile(hub, repo, revision, f, commit, pinned[f.path]);
  const dir = cachedSnapshots(hub, repo, commit).find((s) => s.commit === commit)!.dir;
  return { dir, names: files.map((f) => f.path), commit };
}

/** Resolve a zoo id or repository id to a local checkpoint folder, downloading it when needed and allowed. */
export async function pullCheckpoint(id: string, opts: CheckpointPullOptions = {}): Promise<PulledCheckpoint> {
  const { source } = checkpointSource(id);
  const env = opts.env ?? process.env;
  const cacheDir = opts.cacheDir ?? defaultCacheDir(env);
  const memo = sha256Memo(cacheDir);
  const placed = placedDir(id, cacheDir);
  const pinned =
    source.kind === 'hf'
      ? (source.sha256 ?? {})
      : Object.fromEntries(source.files.filter((f) => f.sha256).map((f) => [urlName(f.url), f.sha256!]));

  if (source.kind === 'url') {
    const names = source.files.map((f) => urlName(f.url));
    const label = source.files.map((f) => f.url).join(' + ');
    if (names.every((n) => existsSync(join(placed, n))))
      return record(placed, await describe(id, placed, names, label, 'placed', memo, pinned));
    const missing = source.files.filter((f) => !existsSync(join(placed, urlName(f.url))));
    const offlineError = (why: string) =>
      new ModelError(
        'offline',
        `${id}: ${why}, and ${missing.map((f) => urlName(f.url)).join(', ')} ${missing.length > 1 ? 'are' : 'is'} not in the cache`,
        {
          hint: `download ${missing.map((f) => f.url).join(' and ')} on a connected machine and place ${missing.length > 1 ? 'them' : 'it'} in ${placed}, or pass --model <checkpoint folder>`,
        },
      );
    if (opts.offline) throw offlineError('offline mode');
    try {
      mkdirSync(placed, { recursive: true });
      for (const f of missing) {
        await downloadResumable(f.url, join(placed, urlName(f.url)), {
          sha256: f.sha256,
          connectTimeoutMs: opts.connectTimeoutMs,
          onProgress: opts.onProgress,
        });
      }
    } catch (err) {
      if (err instanceof DownloadNetworkError) throw offlineError(err.message);
      throw err;
    }
    return record(placed, await describe(id, placed, names, label, 'downloaded', memo, pinned));
  }

  const weights = source.weights ?? HF_WEIGHTS;
  const revision = opts.revision ?? source.revision ?? 'main';
  const label = `${source.repo}@${revision}`;
  const here = hfFilesIn(placed, weights);
  if (here) return record(placed, await describe(id, placed, here, label, 'placed', memo, pinned));
  const hub = hubOf({ ...opts, env });
  for (const s of cachedSnapshots(hub, source.repo, revision)) {
    const names = hfFilesIn(s.dir, weights);
    if (names) return record(placed, await describe(id, s.dir, names, `${source.repo}@${s.commit}`, 'hf-cache', memo, pinned, s.commit));
  }
  const offlineError = (why: string) =>
    new ModelError('offline', `${id}: ${why}, and its checkpoint is not in the cache`, {
      hint:
        `download ${resolveUrl(hub, source.repo, revision, 'config.json')} and ${resolveUrl(hub, source.repo, revision, weights[0])} ` +
        `(or ${weights.slice(1).join(', ')}) on a connected machine and place them in ${placed}, or pass --model <checkpoint folder>`,
    });
  if (opts.offline) throw offlineError('offline mode');
  try {
    const got = await downloadHf(hub, source.repo, revision, weights, pinned);
    return record(placed, await describe(id, got.dir, got.names, label, 'downloaded', memo, pinned, got.commit));
  } catch (err) {
    if (err instanceof DownloadNetworkError) throw offlineError(err.message);
    throw err;
  }
}

/** The checkpoint pull record of a zoo or repository id, when it has been pulled or placed. */
export function readCheckpointRecord(id: string, cacheDir: string): PulledCheckpoint | undefined {
  const p = join(placedDir(id, cacheDir), 'checkpoint.json');
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as PulledCheckpoint) : undefined;
}

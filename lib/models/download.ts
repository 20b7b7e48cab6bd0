/**
 * Resumable HTTP download to a file: bytes go to `<target>.incomplete`, a later call continues from its
 * size with a Range request, and the finished file is renamed into place only after its sha256 (when
 * known) matches. Network failures surface as `DownloadNetworkError` so callers can say what to do offline.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { ModelError } from '../util/errors.js';

export class DownloadNetworkError extends Error {}

export interface DownloadOptions {
  headers?: Record<string, string>;
  /** Expected hex sha256; the download is rejected (and deleted) when it differs. */
  sha256?: string;
  /** Milliseconds to wait for the server's response headers. */
  connectTimeoutMs?: number;
  onProgress?: (done: number, total: number | undefined) => void;
  fetch?: typeof fetch;
}

async function sha256Of(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Download `url` to `target` (resuming a previous partial download); returns the file's sha256. */
export async function downloadResumable(url: string, target: string, opts: DownloadOptions = {}): Promise<string> {
  const partial = `${target}.incomplete`;
  const have = existsSync(partial) ? statSync(partial).size : 0;
  const headers: Record<string, string> = { ...opts.headers };
  if (have > 0) headers.Range = `bytes=${have}-`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), opts.connectTimeoutMs ?? 15000);
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(url, { headers, signal: controller.signal, redirect: 'follow' });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new DownloadNetworkError(`cannot reach ${new URL(url).host} (${cause})`);
  } finally {
    clearTimeout(timer);
  }
  if (res.status === 416 && have > 0) {
    // the partial file is already complete
  } else if (!res.ok || !res.body) {
    throw new ModelError('download-failed', `download of ${url} failed: HTTP ${res.status} ${res.statusText}`, {
      hint: res.status === 401 || res.status === 403 ? 'set HF_TOKEN to a token with access to this repository' : undefined,
    });
  } else {
    const resumed = res.status === 206 && have > 0;
    const length = Number(res.headers.get('content-length') ?? NaN);
    const total = Number.isFinite(length) ? length + (resumed ? have : 0) : undefined;
    const out = createWriteStream(partial, { flags: resumed ? 'a' : 'w' });
    let done = resumed ? have : 0;
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
        done += chunk.length;
        opts.onProgress?.(done, total);
      }
    } catch (err) {
      throw new DownloadNetworkError(`connection lost after ${done} bytes (${(err as Error).message}); run again to resume`);
    } finally {
      await new Promise<void>((r) => out.end(r));
    }
  }
  const sha = await sha256Of(partial);
  if (opts.sha256 && sha !== opts.sha256.toLowerCase()) {
    rmSync(partial, { force: true });
    throw new ModelError('checksum-mismatch', `downloaded file's sha256 ${sha} differs from the published ${opts.sha256}`, {
      file: target,
      hint: 'the partial download was deleted; run again',
    });
  }
  renameSync(partial, target);
  return sha;
}

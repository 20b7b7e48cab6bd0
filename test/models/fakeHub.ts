/**
 * A local stand-in for the Hugging Face hub: the paths-info API (only files the repo has, with their LFS
 * sha256 and last commit) and resolve URLs with Range support. Serves one body for every path (an ONNX
 * export) or a map of repo paths to bodies (a checkpoint: config.json, weights, shards).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  range?: string;
  auth?: string;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export async function fakeHub(
  files: Buffer | Record<string, Buffer>,
  opts: { sha?: string | Record<string, string>; commit?: string } = {},
) {
  const seen: SeenRequest[] = [];
  const bodyOf = (path: string): Buffer | undefined => (Buffer.isBuffer(files) ? files : files[path]);
  const shaOf = (path: string, body: Buffer) => (typeof opts.sha === 'string' ? opts.sha : opts.sha?.[path]) ?? sha256(body);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push({ method: req.method!, url: req.url!, range: req.headers.range, auth: req.headers.authorization });
    if (req.method === 'POST' && req.url!.includes('/paths-info/')) {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        const { paths } = JSON.parse(data) as { paths: string[] };
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify(
            paths
              .filter((p) => bodyOf(p))
              .map((p) => {
                const body = bodyOf(p)!;
                return {
                  path: p,
                  type: 'file',
                  oid: 'gitoid',
                  size: body.length,
                  lfs: { oid: shaOf(p, body), size: body.length, pointerSize: 134 },
                  lastCommit: { id: opts.commit ?? 'c0ffee', title: 't', date: '2024-01-01' },
                };
              }),
          ),
        );
      });
      return;
    }
    const path = decodeURIComponent(req.url!.replace(/^\/[^/]+\/[^/]+\/resolve\/[^/]+\//, ''));
    const body = bodyOf(path);
    if (!body) {
      res.writeHead(404);
      res.end();
      return;
    }
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const from = m ? Number(m[1]) : 0;
    res.writeHead(m ? 206 : 200, { 'content-length': body.length - from });
    res.end(body.subarray(from));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

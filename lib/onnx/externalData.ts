/**
 * External data: models over 2 GB keep their weights in side files named by each initializer's
 * `location` entry, relative to the .onnx file's folder. A rewritten graph saved elsewhere must see
 * those files next to it: linkExternalData() hard-links them (a copy when on another filesystem).
 * Symlinks do not do: onnxruntime resolves them and refuses data outside the model's folder.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { ModelError } from '../util/errors.js';
import type { GraphProto } from './proto.js';

/** Relative paths of the external data files an ONNX graph refers to (empty for self-contained files). */
export function externalDataFiles(graph: GraphProto): string[] {
  const files = new Set<string>();
  for (const t of graph.initializer ?? []) {
    if (t.dataLocation !== 1) continue;
    const loc = (t.externalData ?? []).find((e) => e.key === 'location')?.value;
    if (loc) files.add(loc);
  }
  return [...files].sort();
}

/** Make every external data file of the model at `sourcePath` visible from `targetDir`. */
export function linkExternalData(sourcePath: string, files: string[], targetDir: string): void {
  const srcDir = dirname(resolve(sourcePath));
  for (const rel of files) {
    const clean = normalize(rel);
    if (isAbsolute(clean) || clean.startsWith('..')) {
      throw new ModelError('external-data', `external data location "${rel}" is outside the model's folder`, { file: sourcePath });
    }
    const src = join(srcDir, clean);
    if (!existsSync(src)) {
      throw new ModelError('external-data', `external data file ${clean} is missing next to the model`, {
        file: sourcePath,
        hint: `place ${clean} in ${srcDir}`,
      });
    }
    const dst = join(targetDir, clean);
    if (existsSync(dst)) continue;
    mkdirSync(dirname(dst), { recursive: true });
    const real = realpathSync(src); // HF caches hold symlinks to blobs: link the blob itself
    try {
      linkSync(real, dst);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue; // linked meanwhile by another process
      copyFileSync(real, dst);
    }
  }
}

/**
 * Where the CKA reads features from: a features folder (INTERFACE.md: `manifest.json`, `clips.csv`,
 * `layer_XX.npy` [N, 2D] `<f4`), read in row blocks straight from the files so that memory holds one
 * block of one layer at a time whatever N is, or arrays already in memory (notebooks, tests, the
 * benchmark's generator). Every source says which rows are usable (`status` ok) and, when it knows
 * them, which clips its rows are, so that `checkSameClips` can refuse models run on different clips.
 */
import { closeSync, existsSync, openSync, read as readAsync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readClipsCsv } from '../features/clipsCsv.js';
import { layerFileName } from '../features/manifest.js';
import { BioprobeError } from '../util/errors.js';
import { readNpyHeader, readNpyRows } from '../util/npy.js';

/** What identifies a clip across models (a row of clips.csv). */
export interface ClipKey {
  index: number;
  path: string;
  label: string;
  start?: number;
  end?: number;
  status: string;
}

/** One model's layers over the same N clips. */
export interface LayerSource {
  /** The model's name in results (unique among the models compared). */
  name: string;
  /** Number of layers (layer indices 0..layers-1). */
  layers: number;
  /** Columns per row (2D for pooled features). */
  dim: number;
  /** Rows (clips), usable or not. */
  rows: number;
  /** Per row: may it be used (clips.csv status `ok`)? Absent: every row. */
  usable?: Uint8Array;
  /** The clip of each row, when known (features folders); checked across models. */
  clips?: ClipKey[];
  /** Provenance recorded in the output (folder, model id, dataset). */
  info?: { dir?: string; model?: string; dataset?: string };
  /** The file of a layer, when there is one (named in errors). */
  file?(layer: number): string;
  /** Copy rows [start, end) of `layer` into `out` (row-major float32, (end - start) * dim values). */
  read(layer: number, start: number, end: number, out: Float32Array): void | Promise<void>;
  /** Release open files. */
  close?(): void;
}

function fail(code: string, message: string, file?: string, hint?: string): never {
  throw new BioprobeError('features', code, message, { file, hint });
}

/** A features folder as a LayerSource (checks the manifest, clips.csv and every layer file's header). */
export function openFeatureFolder(dir: string, name?: string): LayerSource {
  const mfile = join(dir, 'manifest.json');
  if (!existsSync(mfile))
    fail('cka-no-features', 'not a features folder: manifest.json is missing', dir, 'point at the --out folder of `bioprobe extract`');
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(readFileSync(mfile, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    fail('cka-bad-manifest', `unreadable manifest.json: ${(err as Error).message}`, mfile);
  }
  const int = (k: string): number => {
    const v = manifest[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
      fail('cka-bad-manifest', `manifest field "${k}" must be a positive integer, got ${JSON.stringify(v)}`, mfile);
    return v;
  };
  const layers = int('layers');
  const dim = int('dim');
  const count = int('count');
  const cfile = join(dir, 'clips.csv');
  if (!existsSync(cfile)) fail('cka-no-clips', 'clips.csv is missing', cfile);
  const clips: ClipKey[] = readClipsCsv(cfile).map((r) => ({ ...r.item, status: r.record.status }));
  if (clips.length !== count) fail('cka-clips-count', `clips.csv has ${clips.length} rows but the manifest says count ${count}`, cfile);
  clips.forEach((c, k) => {
    if (c.index !== k) fail('cka-clips-order', `row ${k + 1}: index ${c.index} where ${k} was expected`, cfile);
    if (c.status === undefined || c.path === undefined)
      fail('cka-clips-columns', 'clips.csv needs columns index,path,label,start,end,status', cfile);
  });
  const files: string[] = [];
  const offsets: number[] = [];
  const f4: boolean[] = [];
  for (let l = 0; l < layers; l++) {
    const f = join(dir, layerFileName(l));
    if (!existsSync(f)) fail('cka-no-layer', `layer file missing (manifest says ${layers} layers)`, f);
    const h = readNpyHeader(f);
    if (h.shape.length !== 2 || h.shape[0] !== count || h.shape[1] !== dim)
      fail('cka-layer-shape', `layer file has shape [${h.shape}], expected [${count}, ${dim}]`, f);
    files.push(f);
    offsets.push(h.dataOffset);
    f4.push(h.dtype === '<f4');
  }
  const fds = new Map<number, number>();
  const usable = Uint8Array.from(clips, (c) => (c.status === 'ok' ? 1 : 0));
  return {
    name: name ?? String(manifest.model ?? dir),
    layers,
    dim,
    rows: count,
    usable,
    clips,
    info: {
      dir,
      model: manifest.model === undefined ? undefined : String(manifest.model),
      dataset: manifest.dataset === undefined ? undefined : String(manifest.dataset),
    },
    file: (layer) => files[layer],
    async read(layer, start, end, out) {
      const want = (end - start) * dim;
      if (!f4[layer]) {
        out.set(readNpyRows(files[layer], start, end).data.subarray(0, want));
        return;
      }
      let fd = fds.get(layer);
      if (fd === undefined) {
        fd = openSync(files[layer], 'r');
        fds.set(layer, fd);
      }
      // straight into the float32 block (one copy, kernel to user), on libuv's threads
      const bytes = new Uint8Array(out.buffer, out.byteOffset, want * 4);
      let got = 0;
      while (got < bytes.length) {
        const n = await new Promise<number>((resolve, reject) => {
          readAsync(fd!, bytes, got, bytes.length - got, offsets[layer] + start * dim * 4 + got, (err, read) =>
            err ? reject(err) : resolve(read),
          );
        });
        if (n === 0) fail('cka-layer-truncated', `layer file is truncated (rows ${start}-${end} of ${count})`, files[layer]);
        got += n;
      }
    },
    close() {
      for (const fd of fds.values()) closeSync(fd);
      fds.clear();
    },
  };
}

/**
 * In-memory layers as a LayerSource: `layers[l]` is a row-major [rows, dim] float32 array (e.g. what a
 * notebook computed). `usable` and `clips` are optional, as for any source.
 */
export function arraySource(
  name: string,
  layers: Float32Array[],
  dim: number,
  opts: { usable?: Uint8Array; clips?: ClipKey[] } = {},
): LayerSource {
  if (layers.length === 0) fail('cka-no-layers', `model ${name}: no layers given`);
  const rows = layers[0].length / dim;
  layers.forEach((a, l) => {
    if (!Number.isInteger(rows) || a.length !== rows * dim)
      fail('cka-layer-shape', `model ${name} layer ${l}: ${a.length} values is not ${rows} rows of ${dim}`);
  });
  return {
    name,
    layers: layers.length,
    dim,
    rows,
    usable: opts.usable,
    clips: opts.clips,
    read(layer, start, end, out) {
      out.set(layers[layer].subarray(start * dim, end * dim));
    },
  };
}

/** Where two clip keys differ (undefined when they are the same clip). */
function clipDiff(a: ClipKey, b: ClipKey): string | undefined {
  if (a.index !== b.index) return `index ${a.index} vs ${b.index}`;
  if (a.path !== b.path) return `path "${a.path}" vs "${b.path}"`;
  if (a.label !== b.label) return `label "${a.label}" vs "${b.label}"`;
  if (a.start !== undefined && b.start !== undefined && a.start !== b.start) return `start ${a.start} vs ${b.start}`;
  if (a.end !== undefined && b.end !== undefined && a.end !== b.end) return `end ${a.end} vs ${b.end}`;
  return undefined;
}

/**
 * Refuse models that were not run on the same clips: the same row count and, where both sources know
 * their clips, the same index, path, label (and start/end where both have them) row by row. Returns
 * the rows used: those usable in every model (a clip skipped by one model is left out of all).
 */
export function checkSameClips(sources: readonly LayerSource[]): { rows: Uint32Array; total: number; excluded: number } {
  const first = sources[0];
  const names = new Set<string>();
  for (const s of sources) {
    if (names.has(s.name))
      fail('cka-duplicate-model', `two models are named "${s.name}"`, s.info?.dir, 'give each features folder a distinct name');
    names.add(s.name);
    if (s.rows !== first.rows) {
      fail(
        'cka-clips-mismatch',
        `model ${s.name} has ${s.rows} clips but ${first.name} has ${first.rows}: CKA compares models on the same clips`,
        s.info?.dir,
        'extract every model over the same dataset (same spec, same --classes and --limit)',
      );
    }
    if (s.clips && first.clips) {
      for (let i = 0; i < s.rows; i++) {
        const d = clipDiff(first.clips[i], s.clips[i]);
        if (d) {
          fail(
            'cka-clips-mismatch',
            `clips.csv line ${i + 2} differs from ${first.name}'s: ${d}`,
            s.info?.dir ? join(s.info.dir, 'clips.csv') : undefined,
            'extract every model over the same dataset (same spec, same --classes and --limit)',
          );
        }
      }
    }
  }
  const ok: number[] = [];
  for (let i = 0; i < first.rows; i++) if (sources.every((s) => !s.usable || s.usable[i])) ok.push(i);
  if (ok.length < 3) fail('cka-too-few-clips', `only ${ok.length} clips are usable in every model; CKA needs at least 3`, first.info?.dir);
  return { rows: Uint32Array.from(ok), total: first.rows, excluded: first.rows - ok.length };
}

/**
 * Copy the used rows rows[u0..u1) of `layer` into `out`, compacted (one read per run of consecutive
 * rows: a clip skipped in the middle costs one more read, never a read of everything).
 */
export async function readUsedRows(
  src: LayerSource,
  layer: number,
  rows: Uint32Array,
  u0: number,
  u1: number,
  out: Float32Array,
): Promise<void> {
  const dim = src.dim;
  let i = u0;
  while (i < u1) {
    let j = i + 1;
    while (j < u1 && rows[j] === rows[j - 1] + 1) j++;
    await src.read(layer, rows[i], rows[j - 1] + 1, out.subarray((i - u0) * dim, (j - u0) * dim));
    i = j;
  }
}

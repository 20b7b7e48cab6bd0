/**
 * The layer-similarity file (INTERFACE.md Extensions, `cka.json`): everything `layerSimilarity`
 * returns, matrices as nested arrays (row = layer of model a, column = layer of model b; `null` where
 * a layer is constant and CKA undefined), plus a long-form CSV for tables and plots.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic.js';
import { BioprobeError } from '../util/errors.js';
import { CKA_FORMAT, type CkaPair, type LayerSimilarity } from './similarity.js';

export const CKA_FILE = 'cka.json';
export const CKA_CSV = 'cka.csv';

function rowsOf(m: Float64Array, rows: number, cols: number): (number | null)[][] {
  return Array.from({ length: rows }, (_, i) => Array.from(m.subarray(i * cols, (i + 1) * cols), (v) => (Number.isFinite(v) ? v : null)));
}

function fromRows(rows: (number | null)[][], r: number, c: number, file: string): Float64Array {
  if (!Array.isArray(rows) || rows.length !== r || rows.some((row) => !Array.isArray(row) || row.length !== c)) {
    throw new BioprobeError('io', 'cka-file', `a matrix is not ${r} x ${c}`, { file });
  }
  return Float64Array.from(rows.flat(), (v) => (v === null ? NaN : v));
}

/** The JSON form of a result. */
export function ckaToJson(result: LayerSimilarity): Record<string, unknown> {
  return {
    ...result,
    pairs: result.pairs.map((p) => ({
      a: p.a,
      b: p.b,
      rows: p.rows,
      cols: p.cols,
      cka: rowsOf(p.cka, p.rows, p.cols),
      ...(p.lower ? { lower: rowsOf(p.lower, p.rows, p.cols), upper: rowsOf(p.upper!, p.rows, p.cols) } : {}),
    })),
  };
}

/** Write `cka.json` (atomically). */
export function writeCka(path: string, result: LayerSimilarity): void {
  writeJsonAtomic(path, ckaToJson(result));
}

/** Read a `cka.json` back into the form `layerSimilarity` returns. */
export function readCka(path: string): LayerSimilarity {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new BioprobeError('io', 'cka-file', `unreadable CKA file: ${(err as Error).message}`, { file: path });
  }
  if (raw.format !== CKA_FORMAT)
    throw new BioprobeError('io', 'cka-file', `format is ${JSON.stringify(raw.format)}, expected "${CKA_FORMAT}"`, { file: path });
  const pairs = (raw.pairs as Record<string, unknown>[]).map((p): CkaPair => {
    const rows = p.rows as number;
    const cols = p.cols as number;
    return {
      a: String(p.a),
      b: String(p.b),
      rows,
      cols,
      cka: fromRows(p.cka as (number | null)[][], rows, cols, path),
      ...(p.lower
        ? {
            lower: fromRows(p.lower as (number | null)[][], rows, cols, path),
            upper: fromRows(p.upper as (number | null)[][], rows, cols, path),
          }
        : {}),
    };
  });
  return { ...(raw as unknown as LayerSimilarity), pairs };
}

/** Long form: `model_a,layer_a,model_b,layer_b,cka,lower,upper` (bounds empty in exact mode), one row per pair of layers a <= b. */
export function ckaCsv(result: LayerSimilarity): string {
  const layersOf = new Map(result.models.map((m) => [m.name, m.layers]));
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const num = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '' : String(v));
  let out = 'model_a,layer_a,model_b,layer_b,cka,lower,upper\n';
  for (const p of result.pairs) {
    const la = layersOf.get(p.a)!;
    const lb = layersOf.get(p.b)!;
    for (let i = 0; i < p.rows; i++) {
      for (let j = p.a === p.b ? i : 0; j < p.cols; j++) {
        const t = i * p.cols + j;
        out += `${q(p.a)},${la[i]},${q(p.b)},${lb[j]},${num(p.cka[t])},${num(p.lower?.[t])},${num(p.upper?.[t])}\n`;
      }
    }
  }
  return out;
}

/** Write the long-form CSV (atomically). */
export function writeCkaCsv(path: string, result: LayerSimilarity): void {
  writeFileAtomic(path, ckaCsv(result));
}

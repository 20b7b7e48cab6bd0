/**
 * Sanity checks over a finished store, streamed in blocks of rows (memory independent of the clip
 * count): feature columns that are constant over the usable clips (a dead unit, or a layer that ignores
 * its input), clips whose feature rows are identical over every layer (duplicate audio: a leakage risk
 * when the copies land in different splits), a width that does not fit the model, and any non-finite value.
 */
import { createHash } from 'node:crypto';
import { readNpyRows } from '../util/npy.js';

export interface SanityReport {
  /** Clips with status ok (the only ones checked). */
  okClips: number;
  /** Per layer with any: how many of its 2D columns are constant over the ok clips (needs >= 2 clips). */
  constantColumns: { layer: number; count: number }[];
  /** Groups of >= 2 ok clips with identical rows in every layer. */
  duplicateGroups: number;
  /** Clips in those groups. */
  duplicateClips: number;
  /** The first groups (item indices), for the user to look at. */
  duplicateExamples: number[][];
  /** Expected columns (2 x model width) against the store's. */
  width: { expected: number | null; found: number; ok: boolean };
  /** Non-finite values in the store (must be 0). */
  nonFinite: number;
  /** One line per problem found; empty when all is well. */
  warnings: string[];
}

const BLOCK_BYTES = 16 << 20;

/**
 * Check the layer files `files` ([rows, dim] each); `isOk(i)` says whether row i is a usable clip and
 * `rowIndex(r)` maps a row to the item index reported in examples (identity by default).
 */
export function checkStore(
  files: readonly string[],
  rows: number,
  dim: number,
  isOk: (row: number) => boolean,
  opts: { expectedDim?: number; rowIndex?: (row: number) => number } = {},
): SanityReport {
  const rowIndex = opts.rowIndex ?? ((r: number) => r);
  const L = files.length;
  const first: Float32Array[] = files.map(() => new Float32Array(dim));
  const constant: Uint8Array[] = files.map(() => new Uint8Array(dim).fill(1));
  const seen: boolean[] = files.map(() => false);
  const groups = new Map<string, number[]>();
  let nonFinite = 0;
  let okClips = 0;
  const block = Math.max(1, Math.floor(BLOCK_BYTES / (L * dim * 4)));
  for (let r0 = 0; r0 < rows; r0 += block) {
    const r1 = Math.min(rows, r0 + block);
    const data = files.map((f) => readNpyRows(f, r0, r1).data);
    for (let r = r0; r < r1; r++) {
      const off = (r - r0) * dim;
      for (let l = 0; l < L; l++) {
        const row = data[l].subarray(off, off + dim);
        for (let d = 0; d < dim; d++) if (!Number.isFinite(row[d])) nonFinite++;
      }
      if (!isOk(r)) continue;
      okClips++;
      const h = createHash('sha1');
      for (let l = 0; l < L; l++) {
        const row = data[l].subarray(off, off + dim);
        h.update(new Uint8Array(row.buffer, row.byteOffset, row.byteLength));
        if (!seen[l]) {
          first[l].set(row);
          seen[l] = true;
          continue;
        }
        const f = first[l];
        const c = constant[l];
        for (let d = 0; d < dim; d++) if (c[d] && row[d] !== f[d]) c[d] = 0;
      }
      const key = h.digest('base64');
      const g = groups.get(key);
      if (g) g.push(rowIndex(r));
      else groups.set(key, [rowIndex(r)]);
    }
  }
  const constantColumns =
    okClips < 2 ? [] : constant.map((c, layer) => ({ layer, count: c.reduce((a, b) => a + b, 0) })).filter((x) => x.count > 0);
  const dups = [...groups.values()].filter((g) => g.length > 1);
  const expected = opts.expectedDim ?? null;
  const report: SanityReport = {
    okClips,
    constantColumns,
    duplicateGroups: dups.length,
    duplicateClips: dups.reduce((a, g) => a + g.length, 0),
    duplicateExamples: dups.slice(0, 10),
    width: { expected, found: dim, ok: expected === null || expected === dim },
    nonFinite,
    warnings: [],
  };
  report.warnings = sanityWarnings(report);
  return report;
}

/** The report's problems as short lines for the end-of-run summary. */
function sanityWarnings(r: SanityReport): string[] {
  const w: string[] = [];
  if (!r.width.ok) w.push(`feature width ${r.width.found} does not match the model (expected ${r.width.expected})`);
  if (r.nonFinite > 0) w.push(`${r.nonFinite} non-finite values in the store`);
  for (const c of r.constantColumns) w.push(`layer ${c.layer}: ${c.count} constant feature columns over ${r.okClips} clips`);
  if (r.duplicateGroups > 0) {
    const ex = r.duplicateExamples[0].slice(0, 5).join(', ');
    w.push(
      `${r.duplicateClips} clips in ${r.duplicateGroups} groups have identical features (duplicate audio? a leakage risk across splits), e.g. items ${ex}`,
    );
  }
  if (r.okClips === 0) w.push('no usable clip');
  return w;
}

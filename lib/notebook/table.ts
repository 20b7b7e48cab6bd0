/** Tables in notebooks through arquero: rows -> an arquero table -> HTML for tslab.display.html. */
import * as aq from 'arquero';

/** An arquero table of plain row objects (filter, groupby, derive it as usual). */
export function toTable(rows: readonly Record<string, unknown>[]): ReturnType<typeof aq.from> {
  return aq.from(rows as Record<string, unknown>[]);
}

/** HTML of rows (or an arquero table), at most `limit` rows, numbers rounded to `digits`. */
export function tableHtml(
  rows: readonly Record<string, unknown>[] | ReturnType<typeof aq.from>,
  opts: { limit?: number; digits?: number } = {},
): string {
  const t = Array.isArray(rows) ? toTable(rows) : (rows as ReturnType<typeof aq.from>);
  const digits = opts.digits ?? 2;
  const format: Record<string, (v: unknown) => string> = {};
  for (const name of t.columnNames())
    format[name] = (v) => (typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(digits) : String(v ?? ''));
  return t.toHTML({ limit: opts.limit ?? 50, format });
}

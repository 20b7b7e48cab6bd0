/** Parsing of the probe's layer lists, with usage errors (integers: util/options.ts). */
import { UsageError } from '../util/errors.js';

/** "0-12", "3", "0,4,8-12" -> sorted unique layer ids. */
export function parseLayers(spec: string): number[] {
  const out = new Set<number>();
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new UsageError(`bad layer list "${spec}"`, { hint: 'e.g. 0-12 or 0,6,12' });
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new UsageError(`bad layer range "${part}" (end before start)`);
    for (let l = a; l <= b; l++) out.add(l);
  }
  if (out.size === 0) throw new UsageError('no layers given', { hint: 'e.g. 0-12' });
  return [...out].sort((x, y) => x - y);
}

/**
 * Fig. 1 straight from a dataset, before anything was extracted: clip lengths from file headers (the
 * audio stage's reader), drawn by the report's figure. The study itself (tables, Fig. 3-5) comes from
 * the report's public loadStudy.
 */
import { readAudioHeader } from '../audio/header.js';
import type { Dataset } from '../datasets/types.js';
import { lengthsSvg } from '../report/index.js';

/** Clip lengths in ms from file headers (segments: end - start); unreadable files are left out. */
export function clipLengthsMs(ds: Dataset): number[] {
  const fileSeconds = new Map<string, number | undefined>();
  const out: number[] = [];
  for (const it of ds.items) {
    if (it.start !== undefined && it.end !== undefined) {
      out.push((it.end - it.start) * 1000);
      continue;
    }
    if (!fileSeconds.has(it.path)) {
      try {
        const h = readAudioHeader(it.path);
        fileSeconds.set(it.path, h.frames !== undefined && h.sampleRate > 0 ? h.frames / h.sampleRate : undefined);
      } catch {
        fileSeconds.set(it.path, undefined);
      }
    }
    const sec = fileSeconds.get(it.path);
    if (sec !== undefined) out.push(((it.end ?? sec) - (it.start ?? 0)) * 1000);
  }
  return out.filter((v) => v > 0);
}

/** Fig. 1 for datasets (before extraction): log-scale distribution of clip lengths, as SVG. */
export async function lengthsFigure(datasets: Dataset[]): Promise<string | undefined> {
  return lengthsSvg(datasets.map((d) => ({ dataset: d.name, lengthsMs: clipLengthsMs(d) })));
}

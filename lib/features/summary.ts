/** The end-of-run summary: one line for logs, naming counts, skip reasons, speed and sanity warnings. */
import type { FeaturesManifest } from './manifest.js';

interface RunFigures {
  dir: string;
  state: 'fresh' | 'resumed' | 'complete';
  computed: number;
  seconds: number;
  audioSeconds: number;
}

export function formatSummary(m: FeaturesManifest, r: RunFigures): string {
  const reasons = Object.entries(m.summary.reasons)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const parts = [`${m.count} clips: ${m.summary.ok} ok, ${m.summary.skipped} skipped${reasons ? ` (${reasons})` : ''}`];
  if (r.state === 'complete') parts.push('already complete, nothing computed');
  else {
    const rate = r.seconds > 0 ? r.audioSeconds / r.seconds : 0;
    parts.push(
      `${r.computed} computed in ${r.seconds.toFixed(1)} s (${rate.toFixed(1)} audio-s/s)${r.state === 'resumed' ? ', resumed' : ''}`,
    );
  }
  parts.push(m.sanity.warnings.length ? `warnings: ${m.sanity.warnings.join('; ')}` : 'sanity ok');
  return `extract: ${parts.join('; ')} -> ${r.dir}`;
}

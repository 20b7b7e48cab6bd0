/**
 * Listen to a clip in Jupyter: an HTML <audio> element whose source is the clip as a 16-bit WAV data
 * URI (self-contained: the notebook keeps the sound when saved or converted to HTML).
 */
import { loadClip } from '../audio/clips.js';
import { encodeWavPcm16 } from '../audio/wavEncode.js';
import type { Item } from '../datasets/types.js';
import { escapeHtml } from './html.js';

/** `data:audio/wav;base64,...` of mono samples in [-1, 1]. */
export function wavDataUri(samples: ArrayLike<number>, sampleRate: number): string {
  return `data:audio/wav;base64,${encodeWavPcm16(samples, sampleRate).toString('base64')}`;
}

/** An <audio controls> element for mono samples, with an optional caption. */
export function audioPlayerHtml(samples: ArrayLike<number>, sampleRate: number, caption?: string): string {
  const seconds = samples.length / sampleRate;
  const label = `${caption ? escapeHtml(caption) + ' · ' : ''}${seconds.toFixed(2)} s at ${sampleRate} Hz`;
  return (
    `<figure style="margin:4px 0"><audio controls preload="none" src="${wavDataUri(samples, sampleRate)}"></audio>` +
    `<figcaption style="font:12px sans-serif;color:#555">${label}</figcaption></figure>`
  );
}

/**
 * A player for a dataset item as the models hear it: its segment, mono, 16 kHz, peak-normalised
 * (the audio stage's preparation, without tiling short clips).
 */
export async function clipPlayerHtml(item: Item, caption?: string): Promise<string> {
  const clip = await loadClip(item, { minSamples: 1 });
  const name = item.path.split(/[\\/]/).pop();
  return audioPlayerHtml(clip.samples, clip.sampleRate, caption ?? `#${item.index} ${name} (${item.label})`);
}

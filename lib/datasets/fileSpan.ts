/**
 * Whole-file items of the paper's datasets (Watkins, Abzaliev) as the paper's code described them:
 * start 0 and end = librosa.get_duration(path=...) = soundfile's frames / rate, which its extraction then
 * cut with librosa.load(offset=start, duration=end - start). That reads int((frames / rate) * rate)
 * frames: one frame short of the file when the float product rounds below `frames` (0.6% of lengths at
 * 8/16 kHz, 8% at 22.05/44.1/48 kHz; docs/DATASETS.md). Carrying this end makes bioprobe's cut
 * (segmentRange) the same. Only the header is read.
 */
import { readAudioHeader } from '../audio/header.js';

/** `{ start: 0, end: frames / rate }` from the file's header; undefined when the header cannot tell or cannot be read. */
export function paperFileSpan(path: string): { start: number; end: number } | undefined {
  try {
    const h = readAudioHeader(path);
    if (h.frames === undefined || !(h.sampleRate > 0)) return undefined;
    return { start: 0, end: h.frames / h.sampleRate };
  } catch {
    return undefined; // a missing or broken file fails on its own at extraction, with its reason
  }
}

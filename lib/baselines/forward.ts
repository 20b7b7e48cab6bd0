/**
 * The log-mel baseline as a "model" with one layer (layer 0) of width n_mels: the features stage's
 * `Forward` (one array of frames per layer) over 16 kHz mono samples, and what a features manifest
 * records about it. Its fingerprint (used wherever a model file's sha256 would be) hashes the settings
 * and LOGMEL_VERSION, so a change of either is never mixed with older features.
 */
import { createHash } from 'node:crypto';
import type { Forward } from '../features/pipeline.js';
import type { FeatureModelInfo } from '../features/manifest.js';
import { DEFAULT_LOGMEL, LogMel, type LogMelSettings } from './logmel.js';

/** Bump when the log-mel computation changes in a way that changes its output. */
export const LOGMEL_VERSION = 1;

export const LOGMEL_ID = 'baseline:logmel';

/** sha256 (hex) of the baseline's settings and implementation version. */
export function logMelFingerprint(settings: LogMelSettings = DEFAULT_LOGMEL): string {
  const keys = Object.keys(settings).sort() as (keyof LogMelSettings)[];
  const canonical = JSON.stringify(keys.map((k) => [k, settings[k]]));
  return createHash('sha256').update(`bioprobe-logmel-v${LOGMEL_VERSION}\n${canonical}`).digest('hex');
}

/** One line saying exactly what the baseline computes (reports, manifests). */
export function describeLogMel(s: LogMelSettings = DEFAULT_LOGMEL): string {
  return (
    `log-mel filterbank: ${(s.winLength / s.sampleRate) * 1000} ms Hann window, ${(s.hopLength / s.sampleRate) * 1000} ms hop, ` +
    `${s.nFft}-point FFT, ${s.nMels} ${s.melScale.toUpperCase()} mel bands ${s.fMin}-${s.fMax} Hz, log(power + ${s.logEps}) ` +
    '(torchaudio MelSpectrogram semantics); pooled mean + std like any layer'
  );
}

/** The baseline as the features pipeline's Forward: one layer of [frames x nMels]. */
export function logMelForward(settings: Partial<LogMelSettings> = {}): Forward {
  const lm = new LogMel(settings);
  return {
    layers: 1,
    width: lm.settings.nMels,
    async run(samples) {
      const out = lm.compute(samples);
      return [{ data: out.data, frames: out.frames }];
    },
  };
}

/** What a features manifest records about the baseline (`name` is what reports show). */
export function logMelModelInfo(settings: LogMelSettings = DEFAULT_LOGMEL): FeatureModelInfo & { name: string } {
  return {
    id: LOGMEL_ID,
    name: 'log-mel (baseline)',
    file: '(built in: lib/baselines/logmel.ts)',
    sha256: logMelFingerprint(settings),
    family: 'log-mel filterbank',
    params: 0,
    layers: 1,
    width: settings.nMels,
    layer0: describeLogMel(settings),
    pretraining: 'none',
    type: 'baseline',
  };
}

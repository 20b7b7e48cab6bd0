/** Check of the exact resampler: libsoxr (system package) through koffi (optional npm dependency). */
import { loadLibsoxr, type LibsoxrStatus } from '../audio/soxr.js';
import type { Check } from './types.js';

/**
 * `ok` with libsoxr's version and path when it loads, else `warn` with the fix: bioprobe then
 * resamples with its own inexact kaiser engine, and the `paper` protocol refuses to run.
 */
export function checkResampler(load: () => LibsoxrStatus = () => loadLibsoxr()): Check {
  const s = load();
  const name = 'libsoxr (exact resampling)';
  if (s.ok)
    return {
      area: 'audio',
      name,
      status: 'ok',
      detail: `libsoxr ${s.lib.version} (${s.lib.core}) at ${s.lib.path}: clips are resampled exactly as librosa's soxr_hq`,
    };
  return {
    area: 'audio',
    name,
    status: 'warn',
    detail: `${s.reason}: resampling falls back to bioprobe's kaiser engine (close to, not equal to, the paper's preprocessing; the paper protocol refuses it)`,
    fix: s.fix,
  };
}

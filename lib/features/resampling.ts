/**
 * Which resampling engine an extraction uses, and whether it may: a small module of its own so the
 * experiment planner can ask before anything runs without loading the extraction stage.
 */
import { describeResampler, resolveResampler, warnInexact, type ResamplerChoice, type ResamplerEngine } from '../audio/resampler.js';
import { BioprobeError } from '../util/errors.js';

/**
 * The resampling engine of a run: refused when inexact and `requireExact` (the paper protocol);
 * otherwise an `auto` fallback to the inexact engine is said once (through `notice` when given).
 */
export function extractionResampler(
  choice: ResamplerChoice | undefined,
  requireExact: boolean | undefined,
  notice?: (line: string) => void,
): ResamplerEngine {
  const engine = resolveResampler(choice ?? 'auto');
  if (requireExact && !engine.info.exact) {
    const why = engine.fallback ? `${engine.fallback.reason}; ` : '';
    throw new BioprobeError(
      'features',
      'inexact-resampler',
      `${why}the paper protocol needs the exact resampler (libsoxr HQ, as librosa), this run would use ${describeResampler(engine.info)}`,
      {
        hint: `${engine.fallback?.fix ?? 'use resampler auto or libsoxr'}; or accept the difference explicitly (experiment file extract.allowInexactResampler: true, or --allow-inexact-resampler)`,
      },
    );
  }
  warnInexact(engine, notice);
  return engine;
}

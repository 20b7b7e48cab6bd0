/**
 * Checking a tapped graph by running it: one deterministic 1 s noise clip through the CPU provider,
 * every `layer_XX` output must be [1, frames, dim] with the same frames and dim across layers, dim as
 * the graph's LayerNorms say (when they say), and finite. Anything else is a loud ModelError.
 */
import type * as ort from 'onnxruntime-node';
import { ModelError } from '../util/errors.js';
import { clipFeeds, type GraphInput } from './feeds.js';
import { createSession } from '../runtime/session.js';
import { asFloat32 } from './tensors.js';

/** 16000 samples of deterministic noise in [-1, 1] (an LCG: no global RNG state). */
export function dummyClip(n = 16000): Float32Array {
  const out = new Float32Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Frames a wav2vec2 conv stack gives for n samples (kernel 400, hop 320 in total). */
export function expectedFrames(n: number): number {
  return Math.max(0, Math.floor((n - 400) / 320) + 1);
}

/** Run the tapped model once; returns the width D. Throws ModelError when shapes do not fit. */
export async function verifyTapped(
  path: string,
  inputs: GraphInput[],
  names: string[],
  dim: number | undefined,
  source: string,
): Promise<number> {
  const session = await createSession(path, { threads: 1, graphOptimization: 'basic' });
  try {
    let result: ort.InferenceSession.OnnxValueMapType;
    try {
      result = await session.run(clipFeeds(inputs, dummyClip(inputs.find((i) => i.fixedLength)?.fixedLength ?? 16000)));
    } catch (err) {
      throw new ModelError('tap-run-failed', `the tapped graph failed on a dummy clip: ${(err as Error).message.split('\n')[0]}`, {
        file: source,
        cause: err,
      });
    }
    const shapes = names.map((n) => result[n]?.dims);
    const first = shapes[0];
    const bad = (d: readonly number[] | undefined) => d?.length !== 3 || d[0] !== 1 || d[1] !== first?.[1] || d[2] !== first?.[2];
    if (!first || shapes.some(bad) || (dim !== undefined && first[2] !== dim) || first[1] < 1) {
      throw new ModelError(
        'tap-shapes',
        `tapped layers do not all have shape [1, frames, ${dim ?? 'D'}]: ` +
          names.map((n, i) => `${n}=[${shapes[i]?.join(',') ?? 'missing'}]`).join(' '),
        { file: source, hint: 'the graph is not a wav2vec2-family encoder bioprobe recognises; please report it' },
      );
    }
    for (const n of names) {
      const data = asFloat32(result[n], n);
      if (!data.every(Number.isFinite))
        throw new ModelError('tap-nonfinite', `tapped output ${n} is not finite on a dummy clip`, { file: source });
    }
    return first[2];
  } finally {
    await session.release();
  }
}

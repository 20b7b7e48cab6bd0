/**
 * The probes' training state as flat arrays named like the graph inputs: p_<param> (weights), m_<param>
 * and v_<param> (Adam moments), each [L, rows, cols] row-major with L probes stacked on the first axis.
 */
import { PARAM_NAMES, paramShapes, type ParamName } from './graph/mlp.js';
import { stateNames } from './graph/trainGraph.js';
import type { Float } from './tensors.js';

export interface ProbeState {
  L: number;
  D: number;
  C: number;
  arrays: Record<string, Float>;
}

/** [rows, cols] of a state array's per-probe slice. */
export function stateShape(name: string, D: number, C: number): [number, number] {
  return paramShapes(D, C)[name.slice(2) as ParamName];
}

/** A state of zeros (float32 unless `f64`). */
export function zeroState(L: number, D: number, C: number, f64 = false): ProbeState {
  const arrays: Record<string, Float> = {};
  for (const n of stateNames()) {
    const [r, c] = stateShape(n, D, C);
    arrays[n] = f64 ? new Float64Array(L * r * c) : new Float32Array(L * r * c);
  }
  return { L, D, C, arrays };
}

/** Copy probe `from` of `src` into probe `to` of `dst` (the parameters only, or every array). */
export function copyProbe(src: ProbeState, from: number, dst: ProbeState, to: number, paramsOnly = true): void {
  for (const n of Object.keys(src.arrays)) {
    if (paramsOnly && !n.startsWith('p_')) continue;
    const [r, c] = stateShape(n, src.D, src.C);
    const k = r * c;
    dst.arrays[n].set(src.arrays[n].subarray(from * k, (from + 1) * k), to * k);
  }
}

/** The names of the parameter arrays, in graph order. */
export const PARAM_KEYS: string[] = PARAM_NAMES.map((n) => `p_${n}`);

/** A new state holding only probes `keep` (indices into `s`, in that order); arrays are copied. */
export function selectProbes(s: ProbeState, keep: readonly number[]): ProbeState {
  const arrays: Record<string, Float> = {};
  for (const [n, a] of Object.entries(s.arrays)) {
    const k = a.length / s.L;
    const out = new (a.constructor as Float32ArrayConstructor)(keep.length * k);
    keep.forEach((j, i) => out.set(a.subarray(j * k, (j + 1) * k), i * k));
    arrays[n] = out;
  }
  return { L: keep.length, D: s.D, C: s.C, arrays };
}

/**
 * The probes' small parameters (every one but W1: biases, LayerNorm gains and shifts, W2-W4; about
 * 12 k values per probe) packed side by side into one [L, S] tensor inside the training graphs, so that
 * their Adam update is one set of element-wise nodes instead of thirteen. Per-node overhead, not
 * arithmetic, is what these tiny updates cost (~0.3-0.6 us a node in a Loop body, 13 x 12 nodes per step).
 * Packing happens once per epoch outside the Loop; inside it the parameters are split out for the
 * forward pass and the gradients concatenated back, which are a few cheap nodes.
 */
import type { GraphBuilder } from '../../onnx/builder.js';
import { PARAM_NAMES, paramShapes, type ParamName } from './mlp.js';
import type { InputStage } from './inputStage.js';

export const SMALL_PARAMS = PARAM_NAMES.filter((n) => n !== 'W1') as Exclude<ParamName, 'W1'>[];

/** Values per probe of each small parameter, in SMALL_PARAMS order. */
function smallSizes(D: number, C: number): number[] {
  const s = paramShapes(D, C);
  return SMALL_PARAMS.map((n) => s[n][0] * s[n][1]);
}

/** [L, r, c] tensors of the small parameters (SMALL_PARAMS order) -> one [L, S]. */
export function packSmall(b: GraphBuilder, tensors: readonly string[]): string {
  const flat = b.constI([0, -1], [2]);
  return b.op(
    'Concat',
    tensors.map((t) => b.op('Reshape', [t, flat])),
    { axis: { i: 1 } },
  );
}

/**
 * [L, S] -> each small parameter as [L, r, c], by name. With an input stage (inputStage.ts) its
 * parameter is packed last and comes out under the stage's name.
 */
export function unpackSmall(b: GraphBuilder, packed: string, D: number, C: number, stage?: InputStage): Record<string, string> {
  const shapes: Record<string, [number, number]> = { ...paramShapes(D, C) };
  const names: string[] = [...SMALL_PARAMS];
  const sizes = smallSizes(D, C);
  if (stage) {
    names.push(stage.name);
    shapes[stage.name] = stage.shape;
    sizes.push(stage.shape[0] * stage.shape[1]);
  }
  const parts = b.opN('Split', [packed, b.constI(sizes, [sizes.length])], sizes.length, { axis: { i: 1 } });
  return Object.fromEntries(names.map((n, k) => [n, b.op('Reshape', [parts[k], b.constI([0, ...shapes[n]], [3])])]));
}

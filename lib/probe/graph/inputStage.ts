/**
 * An input stage: a learned map in front of the probe MLP whose parameter trains with it. The training
 * and evaluation graphs (train-graph.ts, eval-graph.ts) take one optional stage: its parameter is a
 * state tensor like the MLP's (p_<name>, m_<name>, v_<name>, per probe [rows, cols]), carried packed
 * after the MLP's small parameters so that the same Adam nodes update it (packed.ts), and the stage
 * turns the rows fed as X into the MLP's input. The one stage is the softmax-weighted layer mix of
 * the weighted probe (weightedGraph.ts). Without a stage the graphs are byte for byte what they were.
 */
import type { GraphBuilder } from '../../onnx/builder.js';

export interface InputStage {
  /** Its state names: p_<name>, m_<name>, v_<name>. */
  name: string;
  /** Per-probe shape [rows, cols] of its parameter (stored [P, rows, cols] for P probes). */
  shape: [number, number];
  /**
   * The MLP input [P, B, D] from the rows gathered from X (axis 1 is the row axis) and the parameter
   * [P, rows, cols]; `backward` maps d(loss)/d(input) [P, B, D] to the parameter's gradient
   * [P, rows, cols]. Its nodes are added only when called (evaluation graphs never call it).
   */
  apply(b: GraphBuilder, x: string, param: string): { input: string; backward: (dInput: string) => string };
}

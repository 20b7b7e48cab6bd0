/**
 * Training graphs. `buildEpochGraph` runs a whole epoch in one session.run: an ONNX Loop over the
 * epoch's mini-batches, each iteration gathering its batch rows by the permutation input, running
 * forward, backward and Adam for all stacked probes; weights and moments are loop-carried, so they
 * never reach JavaScript inside an epoch. The last batch may be short (torch DataLoader,
 * drop_last=False): Slice clamps at the end of the permutation and the loss divides by the real size.
 * W1 and its moments are stored in row chunks and updated by w1Update.ts (see trainStateDims).
 * `buildStepGraph` is the same step as a plain graph that also outputs gradients (for parity tests).
 * An optional input stage (inputStage.ts; the weighted probe's layer mix) sits between the gathered
 * rows and the MLP, its parameter packed with the small ones.
 */
import { GraphBuilder, type Elem } from '../../onnx/builder.js';
import { HIDDEN, PARAM_NAMES, adam, backward, crossEntropy, forward, paramShapes, type Params } from './mlp.js';
import { W1_V_SCALE, chunkInput, chunkedLinear, w1Layout, w1Update, type W1Layout } from './w1Update.js';
import { SMALL_PARAMS, packSmall, unpackSmall } from './packed.js';
import type { InputStage } from './inputStage.js';

export interface GraphDims {
  D: number;
  C: number;
  float?: 'float32' | 'float64';
  /** Rows of W1 per fused update chunk (default: chunkRows(D)). */
  w1Rows?: number;
  /** A learned map from the rows fed as X to the MLP's input (inputStage.ts); needs one W1 chunk. */
  stage?: InputStage;
}

const KINDS = ['p', 'm', 'v'] as const;

/** Names of the state inputs/outputs in order: p_* (parameters), m_*, v_* (Adam moments); a stage's after the MLP's. */
export function stateNames(stage?: InputStage): string[] {
  const names: string[] = stage ? [...PARAM_NAMES, stage.name] : [...PARAM_NAMES];
  return KINDS.flatMap((k) => names.map((n) => `${k}_${n}`));
}

/**
 * Dimensions of a training graph's state tensor for L probes: [L, rows, cols], except W1 and its
 * moments, stored in row chunks [L*q, rows, H] (same bytes; see w1Update.ts).
 */
export function trainStateDims(name: string, L: number, dims: GraphDims): number[] {
  const n = name.slice(2) as (typeof PARAM_NAMES)[number];
  if (dims.stage && (n as string) === dims.stage.name) return [L, ...dims.stage.shape];
  if (n === 'W1') {
    const lay = w1Layout(dims.D, HIDDEN[0], dims.w1Rows);
    return [L * lay.q, lay.rows, lay.H];
  }
  return [L, ...paramShapes(dims.D, dims.C)[n]];
}

function declareState(b: GraphBuilder, dims: GraphDims, elem: Elem): Record<string, string> {
  const shapes = paramShapes(dims.D, dims.C);
  const lay = w1Layout(dims.D, HIDDEN[0], dims.w1Rows);
  const out: Record<string, string> = {};
  for (const k of KINDS) {
    for (const n of PARAM_NAMES) out[`${k}_${n}`] = b.input(`${k}_${n}`, elem, n === 'W1' ? ['LQ', lay.rows, lay.H] : ['L', ...shapes[n]]);
    if (dims.stage) out[`${k}_${dims.stage.name}`] = b.input(`${k}_${dims.stage.name}`, elem, ['L', ...dims.stage.shape]);
  }
  return out;
}

/**
 * What the epoch Loop carries: W1 and its moments (row chunks; v as v / W1_V_SCALE, see w1Update.ts),
 * the small parameters and their moments packed (packed.ts).
 */
interface Carried {
  pW1: string;
  mW1: string;
  vW1: string;
  pS: string;
  mS: string;
  vS: string;
}
const CARRIED = ['pW1', 'mW1', 'vW1', 'pS', 'mS', 'vS'] as const;

/** Per-name state -> carried form (the small parameters packed, a stage's last, see packed.ts). */
function packState(b: GraphBuilder, state: Record<string, string>, stage?: InputStage): Carried {
  const small: string[] = stage ? [...SMALL_PARAMS, stage.name] : SMALL_PARAMS;
  const pack = (k: string) =>
    packSmall(
      b,
      small.map((n) => state[`${k}_${n}`]),
    );
  const vW1 = b.mul(state.v_W1, b.constF(1 / W1_V_SCALE));
  return { pW1: state.p_W1, mW1: state.m_W1, vW1, pS: pack('p'), mS: pack('m'), vS: pack('v') };
}

/** Carried form -> per-name state (the names of stateNames()). */
function unpackState(b: GraphBuilder, c: Carried, dims: GraphDims): Record<string, string> {
  const out: Record<string, string> = { p_W1: c.pW1, m_W1: c.mW1, v_W1: b.mul(c.vW1, b.constF(W1_V_SCALE)) };
  for (const [k, packed] of [
    ['p', c.pS],
    ['m', c.mS],
    ['v', c.vS],
  ] as const) {
    const parts = unpackSmall(b, packed, dims.D, dims.C, dims.stage);
    for (const n of Object.keys(parts)) out[`${k}_${n}`] = parts[n];
  }
  return out;
}

/**
 * One step: forward, loss, backward, Adam (W1's gradient and update fused chunk by chunk, see
 * w1Update.ts; the small parameters' in one packed update). `stepSizeL` is [L]. Returns the new
 * carried state and the loss [L]; with `withGrads` also every gradient by name (W1's built whole).
 * With an input stage, x is what the stage takes and the stage's gradient comes from d(loss)/d(input)
 * = dz1 W1^T (W1 in one chunk per probe).
 */
function step(b: GraphBuilder, dims: GraphDims, c: Carried, x: string, y: string, stepSizeL: string, bc2sqrt: string, withGrads = false) {
  const lay: W1Layout = w1Layout(dims.D, HIDDEN[0], dims.w1Rows);
  if (dims.stage && lay.q !== 1) throw new Error(`an input stage needs W1 in one chunk per probe (got ${lay.q})`);
  const small = unpackSmall(b, c.pS, dims.D, dims.C, dims.stage);
  const p = { W1: c.pW1, ...small } as Params;
  const staged = dims.stage?.apply(b, x, small[dims.stage.name]);
  const input = staged ? staged.input : x;
  const xc = chunkInput(b, lay, input);
  const { logits, cache } = forward(b, p, input, () => chunkedLinear(b, lay, xc, p.W1));
  const { loss, dlogits } = crossEntropy(b, logits, y);
  const { grads, dz1 } = backward(b, p, cache, dlogits, { w1Grad: withGrads });
  const gradList = SMALL_PARAMS.map((n) => grads[n]!);
  const all: Record<string, string> = { ...grads };
  if (staged) {
    all[dims.stage!.name] = staged.backward(b.matmul(dz1, b.t3(c.pW1)));
    gradList.push(all[dims.stage!.name]);
  }
  const w1 = w1Update(b, lay, { p: c.pW1, m: c.mW1, v: c.vW1, xc, dz1, stepSizeL, bc2sqrt });
  const stepSize = b.op('Reshape', [stepSizeL, b.constI([-1, 1], [2])]);
  const upd = adam(b, c.pS, c.mS, c.vS, packSmall(b, gradList), stepSize, bc2sqrt);
  const next: Carried = { pW1: w1.p, mW1: w1.m, vW1: w1.v, pS: upd.p, mS: upd.m, vS: upd.v };
  return { next, loss, grads: all };
}

/**
 * Single-step graph. Inputs: state, x [L,B,D] (with a stage: what it takes, e.g. [layers,B,D]), y
 * one-hot [B,C], stepSize [L], bc2sqrt []. Outputs: loss [L], grad_* and the updated state as out_<name>.
 */
export function buildStepGraph(dims: GraphDims): Uint8Array {
  const f = dims.float ?? 'float32';
  const b = new GraphBuilder(f);
  const state = declareState(b, dims, f);
  const x = b.input('x', f, [dims.stage ? 'layers' : 'L', 'B', dims.D]);
  const y = b.input('y', f, ['B', dims.C]);
  const ss = b.input('stepSize', f, ['L']);
  const bc2 = b.input('bc2sqrt', f, []);
  const { next, loss, grads } = step(b, dims, packState(b, state, dims.stage), x, y, ss, bc2, true);
  b.output(loss, 'loss', f, ['L']);
  for (const n of dims.stage ? [...PARAM_NAMES, dims.stage.name] : PARAM_NAMES) b.output(grads[n]!, `grad_${n}`, f);
  const out = unpackState(b, next, dims);
  for (const k of stateNames(dims.stage)) b.output(out[k], `out_${k}`, f);
  return b.model('probe_step');
}

/**
 * Epoch graph. Inputs: state; X [L,N,D] (standardised train rows; with a stage [layers,N,D]), Y one-hot [N,C], perm int64 [N],
 * steps int64 [] (= ceil(N / batch)), stepSize [steps, L] (lr / (1 - b1^t) per step and probe, 0 for a
 * frozen probe), bc2sqrt [steps]. Outputs: out_<state> and losses [steps, L].
 */
export function buildEpochGraph(dims: GraphDims & { batch: number }): Uint8Array {
  const f = dims.float ?? 'float32';
  const b = new GraphBuilder(f);
  const names = stateNames(dims.stage);
  const state = declareState(b, dims, f);
  const X = b.input('X', f, [dims.stage ? 'layers' : 'L', 'N', dims.D]);
  const Y = b.input('Y', f, ['N', dims.C]);
  const perm = b.input('perm', 'int64', ['N']);
  const steps = b.input('steps', 'int64', []);
  const stepSize = b.input('stepSize', f, ['S', 'L']);
  const bc2all = b.input('bc2sqrt', f, ['S']);

  const body = b.child();
  const it = body.input('iter', 'int64', []);
  const condIn = body.input('cond_in', 'bool', []);
  const carried = Object.fromEntries(CARRIED.map((k) => [k, body.input(`in_${k}`, f)])) as unknown as Carried;
  const axis0 = body.constI([0], [1]);
  const start = body.op('Unsqueeze', [body.mul(it, body.constI(dims.batch)), axis0]);
  const end = body.add(start, body.constI([dims.batch], [1]));
  const idx = body.op('Slice', [perm, start, end, axis0]);
  const xb = body.op('Gather', [X, idx], { axis: { i: 1 } });
  const yb = body.op('Gather', [Y, idx], { axis: { i: 0 } });
  const ss = body.op('Gather', [stepSize, it], { axis: { i: 0 } });
  const bc2 = body.op('Gather', [bc2all, it], { axis: { i: 0 } });
  const { next, loss } = step(body, dims, carried, xb, yb, ss, bc2);
  body.output(body.op('Identity', [condIn]), 'cond_out', 'bool', []);
  for (const k of CARRIED) body.output(next[k], `next_${k}`, f);
  body.output(loss, 'loss_it', f);

  const init = packState(b, state, dims.stage);
  const outs = b.opN('Loop', [steps, '', ...CARRIED.map((k) => init[k])], CARRIED.length + 1, {
    body: { g: body.graph('epoch_body', false) },
  });
  const final = unpackState(b, Object.fromEntries(CARRIED.map((k, i) => [k, outs[i]])) as unknown as Carried, dims);
  names.forEach((n) => b.output(final[n], `out_${n}`, f));
  b.output(outs[CARRIED.length], 'losses', f);
  return b.model('probe_epoch');
}

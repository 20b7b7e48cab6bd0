/**
 * Batch invariance, measured: per layer, how far a clip's pooled features move when, instead of going
 * through the model alone (bioprobe's default), it is
 *   - tiled: repeat-tiled up to a longer batch neighbour's length and pooled over all frames (what the
 *     paper's code did for every batch of 32),
 *   - zero-padded: padded with zeros to that length (an attention mask of ones/zeros where the graph has
 *     one), pooled over the clip's own frames only (the usual "padding + mask" approach),
 *   - batched: stacked with other clips of exactly its length (bioprobe's only admissible batching).
 * Changes are relative: ||pooled_variant - pooled_alone||_2 / ||pooled_alone||_2, worst over the clips.
 * The numbers justify the per-clip policy (docs/EXTRACTION.md) instead of a warning in a README.
 */
import * as ort from 'onnxruntime-node';
import { tile } from '../audio/prepare.js';
import { createSession } from '../runtime/session.js';
import { layerGraph } from '../models/source.js';
import { expectedFrames } from '../models/verify.js';
import { DataType } from '../onnx/proto.js';
import { ModelError } from '../util/errors.js';
import type { ModelSpec } from './model.js';
import { LayerPool } from './pooling.js';

export interface LayerBatchReport {
  layer: number;
  /** Worst relative change when tiled to the neighbour's length (the paper's batching). */
  tiled: number;
  /** Worst relative change when zero-padded (masked where possible), own frames pooled. */
  zeroPadded: number;
  /** Worst relative change when batched with clips of equal length. */
  batched: number;
  /** Whether equal-length batching gave bit-identical rows for every clip. */
  batchedExact: boolean;
}

export interface BatchCheckReport {
  model: string;
  clips: number;
  /** Length (samples) the shorter clips were tiled / padded to. */
  paddedTo: number;
  /** Batch size of the equal-length check. */
  batch: number;
  /** Whether the graph takes an attention mask (used for the zero-padded variant). */
  masked: boolean;
  layers: LayerBatchReport[];
}

/** Deterministic test clips (16 kHz): an up-chirp, a harmonic call train and noise bursts, of different lengths. */
export function defaultCheckClips(): Float32Array[] {
  const make = (n: number, f: (t: number, i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i / 16000, i));
  let s = 99;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  return [
    make(16000, (t) => Math.sin(2 * Math.PI * (300 * t + 1500 * t * t))),
    make(
      24000,
      (t) => (Math.sin(2 * Math.PI * 4 * t) > 0.2 ? 1 : 0) * (Math.sin(2 * Math.PI * 600 * t) + 0.5 * Math.sin(2 * Math.PI * 1200 * t)),
    ),
    make(12000, (t) => rnd() * Math.exp(-((t * 10) % 1) * 5)),
    make(20000, (t) => Math.sin(2 * Math.PI * 900 * t + 3 * Math.sin(2 * Math.PI * 30 * t)) * 0.7 + 0.1 * rnd()),
  ];
}

function relChange(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += a[i] ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-30));
}

/**
 * Run the check for `spec` (tapped or built and opened here; threads/device from the spec) on 16 kHz `clips`
 * (default: defaultCheckClips()). Equal-length batches cut every clip to the shortest one's length.
 */
export async function checkBatching(spec: ModelSpec, clips: Float32Array[] = defaultCheckClips()): Promise<BatchCheckReport> {
  if (clips.length < 2) throw new ModelError('check-clips', 'the batching check needs at least 2 clips');
  const tapped = await layerGraph(spec.file, { layer0: spec.layer0, cacheDir: spec.cacheDir, expectLayers: spec.expectLayers });
  const session = await createSession(tapped.path, { threads: spec.threads, device: spec.device });
  const wave = tapped.inputs.find((i) => i.elemType === DataType.FLOAT)!;
  const mask = tapped.inputs.find((i) => i !== wave);
  /** Pooled rows per layer for each batch row, pooling the first `own[r]` frames of row r. */
  const run = async (rows: Float32Array[], own: number[], valid: number[]): Promise<Float32Array[][]> => {
    const n = rows[0].length;
    const b = rows.length;
    const x = new Float32Array(b * n);
    rows.forEach((r, k) => x.set(r, k * n));
    const feeds: Record<string, ort.Tensor> = { [wave.name]: new ort.Tensor('float32', x, wave.rank === 1 ? [n] : [b, n]) };
    if (mask) {
      const m = new BigInt64Array(b * n);
      valid.forEach((v, k) => m.fill(1n, k * n, k * n + v));
      feeds[mask.name] =
        mask.elemType === DataType.INT64 ? new ort.Tensor('int64', m, [b, n]) : new ort.Tensor('int32', Int32Array.from(m, Number), [b, n]);
    }
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = await session.run(feeds);
    } catch (err) {
      throw new ModelError('check-batch', `the model does not take a batch of ${b}: ${(err as Error).message.split('\n')[0]}`, {
        file: spec.file,
        hint: 'exported with a fixed batch size of 1: only per-clip extraction is possible',
      });
    }
    return rows.map((_, k) =>
      tapped.outputs.map((name) => {
        const t = out[name];
        const [, T, D] = t.dims as number[];
        const data = t.data as Float32Array;
        const p = new LayerPool(D);
        p.add(data, own[k], k * T * D);
        return p.result();
      }),
    );
  };
  try {
    const L = tapped.layers;
    const longest = Math.max(...clips.map((c) => c.length));
    const alone = await Promise.all(clips.map(async (c) => (await run([c], [expectedFrames(c.length)], [c.length]))[0]));
    const report: LayerBatchReport[] = Array.from({ length: L }, (_, layer) => ({
      layer,
      tiled: 0,
      zeroPadded: 0,
      batched: 0,
      batchedExact: true,
    }));
    for (let k = 0; k < clips.length; k++) {
      const c = clips[k];
      if (c.length === longest) continue;
      const tiled = (await run([tile(c, longest)], [expectedFrames(longest)], [longest]))[0];
      const padded = new Float32Array(longest);
      padded.set(c);
      const zero = (await run([padded], [expectedFrames(c.length)], [c.length]))[0];
      for (let l = 0; l < L; l++) {
        report[l].tiled = Math.max(report[l].tiled, relChange(alone[k][l], tiled[l]));
        report[l].zeroPadded = Math.max(report[l].zeroPadded, relChange(alone[k][l], zero[l]));
      }
    }
    const shortest = Math.min(...clips.map((c) => c.length));
    const cut = clips.map((c) => c.slice(0, shortest));
    const frames = expectedFrames(shortest);
    const single = await Promise.all(cut.map(async (c) => (await run([c], [frames], [shortest]))[0]));
    const batched = await run(
      cut,
      cut.map(() => frames),
      cut.map(() => shortest),
    );
    for (let k = 0; k < cut.length; k++) {
      for (let l = 0; l < L; l++) {
        report[l].batched = Math.max(report[l].batched, relChange(single[k][l], batched[k][l]));
        if (!single[k][l].every((v, i) => v === batched[k][l][i])) report[l].batchedExact = false;
      }
    }
    return { model: spec.id, clips: clips.length, paddedTo: longest, batch: cut.length, masked: Boolean(mask), layers: report };
  } finally {
    await session.release();
  }
}

/** The report as a small text table. */
export function formatBatchCheck(r: BatchCheckReport): string {
  const pct = (v: number) => `${(100 * v).toPrecision(3)}%`;
  const lines = [
    `batch invariance of ${r.model}: ${r.clips} clips; padded/tiled to ${r.paddedTo} samples; equal-length batch of ${r.batch}${r.masked ? '; attention mask used for zero padding' : ''}`,
    'layer  tiled (paper)  zero-padded  batched equal-length',
    ...r.layers.map(
      (l) =>
        `${String(l.layer).padStart(5)}  ${pct(l.tiled).padStart(13)}  ${pct(l.zeroPadded).padStart(11)}  ${pct(l.batched).padStart(10)}${l.batchedExact ? ' (bit-identical)' : ''}`,
    ),
    'relative change of the pooled [mean, std] row against the clip alone, worst clip',
  ];
  return lines.join('\n');
}

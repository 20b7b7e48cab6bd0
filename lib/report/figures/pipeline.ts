/**
 * Fig. 2: the feature pipeline (the paper's Fig. 2), drawn as boxes and arrows with the layer count and
 * feature dimension of the models actually run.
 */
import { FULL_WIDTH, withTheme, type VlSpec } from './theme.js';

interface PipelineFacts {
  /** Transformer layers (the CNN layer 0 comes on top), when known. */
  transformerLayers?: number;
  /** Pooled feature size 2D, when known. */
  pooledDim?: number;
  sampleRate?: number;
  fused: boolean;
}

export function pipelineChart(f: PipelineFacts): VlSpec {
  const steps: [string, string, string][] = [
    ['Recording', 'clip or segment,', 'mixed to mono'],
    ['Preprocessing', `resampled to ${f.sampleRate ? f.sampleRate / 1000 : 16} kHz,`, 'peak-normalised'],
    ['SSL model', 'CNN encoder +', f.transformerLayers ? `${f.transformerLayers} transformer layers` : 'transformer layers'],
    ['Pooling', 'mean ‖ std over frames', f.pooledDim ? `per layer (${f.pooledDim}-d)` : 'per layer'],
    ['MLP probe', 'one per layer,', 'scored by UAR'],
    [f.fused ? 'Fusion' : 'Best layer', f.fused ? 'mean of best-layer' : 'chosen on the', f.fused ? 'posteriors' : 'validation split'],
  ];
  const n = steps.length;
  const gap = 0.2;
  const boxes = steps.map(([title, sub1, sub2], i) => ({ x0: i, x1: i + 1 - gap, title, sub1, sub2, mid: i + (1 - gap) / 2 }));
  const arrows = steps.slice(1).map((_, i) => ({ a: i + 1 - gap + 0.02, b: i + 1 - 0.035 }));
  const x = { type: 'quantitative', scale: { domain: [0, n - gap] }, axis: null };
  const y = { type: 'quantitative', scale: { domain: [0, 1] }, axis: null };
  return withTheme({
    width: FULL_WIDTH - 20,
    height: 66,
    view: { stroke: null },
    layer: [
      {
        data: { values: boxes },
        mark: { type: 'rect', fill: '#eef3f8', stroke: '#5a7894', strokeWidth: 1, cornerRadius: 3 },
        encoding: { x: { ...x, field: 'x0' }, x2: { field: 'x1' }, y: { ...y, datum: 0.05 }, y2: { datum: 0.95 } },
      },
      {
        data: { values: boxes },
        mark: { type: 'text', fontSize: 10, fontWeight: 'bold', baseline: 'middle', color: '#1d3447' },
        encoding: { x: { ...x, field: 'mid' }, y: { ...y, datum: 0.72 }, text: { field: 'title' } },
      },
      {
        data: { values: boxes },
        mark: { type: 'text', fontSize: 8, baseline: 'middle', color: '#333' },
        encoding: { x: { ...x, field: 'mid' }, y: { ...y, datum: 0.43 }, text: { field: 'sub1' } },
      },
      {
        data: { values: boxes },
        mark: { type: 'text', fontSize: 8, baseline: 'middle', color: '#333' },
        encoding: { x: { ...x, field: 'mid' }, y: { ...y, datum: 0.25 }, text: { field: 'sub2' } },
      },
      {
        data: { values: arrows },
        mark: { type: 'rule', stroke: '#5a7894', strokeWidth: 1.2 },
        encoding: { x: { ...x, field: 'a' }, x2: { field: 'b' }, y: { ...y, datum: 0.5 } },
      },
      {
        data: { values: arrows },
        mark: { type: 'point', shape: 'triangle-right', filled: true, size: 36, color: '#5a7894' },
        encoding: { x: { ...x, field: 'b' }, y: { ...y, datum: 0.5 } },
      },
    ],
  });
}

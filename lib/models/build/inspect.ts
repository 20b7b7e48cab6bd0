/**
 * What a checkpoint is, without building it: format, architecture, the layers a built graph will
 * output, and its exact parameter counts as stored (for Table II: encoder and whole checkpoint). Reads
 * headers and the config only (no weights).
 */
import { statSync } from 'node:fs';
import type { Family, Wav2Vec2Arch } from '../../checkpoint/arch.js';
import type { ParameterCounts } from '../../checkpoint/canonical.js';
import { openCheckpoint, type CheckpointFormat } from '../../checkpoint/checkpoint.js';
import { checkpointFiles } from './fingerprint.js';

export interface CheckpointInspection {
  file: string;
  configFile: string;
  format: CheckpointFormat;
  arch: Wav2Vec2Arch;
  /** Layers a built graph outputs, layer 0 included. */
  layers: number;
  dim: number;
  parameters: ParameterCounts;
  /** Heads and pre-training tensors the encoder ignores (CTC head, quantizer, final_proj...). */
  extras: string[];
  files: { path: string; bytes: number }[];
}

export function inspectCheckpoint(path: string, opts: { config?: string; family?: Family } = {}): CheckpointInspection {
  const ckpt = openCheckpoint(path, opts);
  try {
    const w = ckpt.canonical();
    return {
      file: ckpt.file,
      configFile: ckpt.configFile,
      format: ckpt.format,
      arch: ckpt.arch,
      layers: ckpt.arch.numLayers + 1,
      dim: ckpt.arch.hiddenSize,
      parameters: w.parameters,
      extras: w.extras,
      files: checkpointFiles(ckpt).map((p) => ({ path: p, bytes: statSync(p).size })),
    };
  } finally {
    ckpt.close();
  }
}

const M = (n: number) => `${n.toLocaleString('en-US')} (${(n / 1e6).toFixed(2)} M)`;

/** Lines for `bioprobe models inspect <checkpoint>`. */
export function formatCheckpointInspection(r: CheckpointInspection): string[] {
  const a = r.arch;
  const mib = r.files.reduce((s, f) => s + f.bytes, 0) / 2 ** 20;
  const conv = a.convLayers.map((c) => `${c.dim}x${c.kernel}/${c.stride}`).join(' ');
  const lines = [
    `checkpoint  ${r.file} (${r.format}, ${mib.toFixed(1)} MiB in ${r.files.length} file${r.files.length > 1 ? 's' : ''})`,
    `config      ${r.configFile}`,
    `family      ${a.family}, ${a.layout}, ${a.numLayers} transformer layers x ${a.hiddenSize} (${a.numHeads} heads, feed-forward ${a.ffnDim})`,
    `conv stack  ${a.featExtractNorm}-norm, ${conv}${a.convBias ? ', with bias' : ''}; positional conv kernel ${a.posConvKernel}, ${a.posConvGroups} groups`,
  ];
  if (a.relativePositionBias)
    lines.push(
      `rel. pos.   ${a.relativePositionBias.numBuckets} buckets, max distance ${a.relativePositionBias.maxDistance}, gated per layer`,
    );
  lines.push(
    `layers      ${r.layers} (layer 0 + ${a.numLayers} transformer layers), width ${r.dim}: layer_00..layer_${String(r.layers - 1).padStart(2, '0')} when built`,
    `parameters  encoder ${M(r.parameters.encoder)}; whole checkpoint ${M(r.parameters.total)}` +
      `${r.parameters.mask ? `; mask embedding ${r.parameters.mask}` : ''}${r.parameters.extras ? `; heads and pre-training tensors ${r.parameters.extras.toLocaleString('en-US')} in ${r.extras.length} tensors (not used)` : ''}`,
  );
  return lines;
}

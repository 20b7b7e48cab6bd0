/**
 * Reading full-size checkpoints (parity and speed): the random-init base models written by
 * `/work/venv/bin/python tools/make_checkpoints_hf.py --full` and `/usr/bin/python3 tools/make_checkpoints_torchaudio.py --full`
 * into .cache/checkpoints/ (~360 MB each, not committed). Usage: npm run bench:checkpoint [-- <folder>...]
 * Per checkpoint: open (header / zip directory + restricted unpickling), canonical mapping, reading every
 * canonical tensor as float32 (the positional conv folded), then parity: every stored tensor's sha256
 * against the manifest torch wrote, and the exact parameter counts.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCheckpoint } from '../lib/checkpoint/index.js';

const root = join(import.meta.dirname, '..', '.cache', 'checkpoints');
const folders =
  process.argv.length > 2
    ? process.argv.slice(2)
    : ['hf_wav2vec2_base_full', 'hf_wav2vec2_base_full_bin', 'ta_hubert_base_full', 'fairseq_hubert_base_full'].map((f) => join(root, f));
const present = folders.filter((f) => existsSync(f));
if (present.length === 0) {
  console.error(
    `bench:checkpoint: no checkpoints in ${root} (make them with the tools' --full option, see the header of bench/checkpoint.ts)`,
  );
  process.exit(2);
}
const now = () => performance.now() / 1000;

for (const folder of present) {
  let t = now();
  const ckpt = openCheckpoint(folder);
  const tOpen = now() - t;
  t = now();
  const w = ckpt.canonical();
  const tMap = now() - t;
  t = now();
  let bytes = 0;
  for (const name of w.shapes.keys()) bytes += w.float32(name).byteLength;
  const tRead = now() - t;
  const manifest = join(folder, 'manifest.json');
  let parity = 'no manifest';
  if (existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as {
      tensors: Record<string, { sha256: string }>;
      parameters: number;
      encoder_parameters?: number;
    };
    const bad = ckpt.tensors
      .names()
      .filter((n) => createHash('sha256').update(ckpt.tensors.bytes(n)).digest('hex') !== m.tensors[n]?.sha256);
    const sameNames = ckpt.tensors.names().length === Object.keys(m.tensors).length;
    parity =
      `${bad.length === 0 && sameNames ? 'all' : `MISMATCH (${bad.length})`} ${Object.keys(m.tensors).length} tensors byte-equal to torch; parameters ${w.parameters.total === m.parameters ? 'equal' : 'DIFFER'}` +
      (m.encoder_parameters ? `, encoder ${w.parameters.encoder === m.encoder_parameters ? 'equal' : 'DIFFERS'}` : '');
  }
  ckpt.close();
  console.log(
    `${folder.split('/').pop()} [${ckpt.format}] ${ckpt.arch.family} ${ckpt.arch.layout} ${ckpt.arch.numLayers}x${ckpt.arch.hiddenSize}`,
  );
  console.log(
    `  open ${tOpen.toFixed(3)} s, canonical map ${tMap.toFixed(3)} s, read ${(bytes / 2 ** 20).toFixed(0)} MiB float32 in ${tRead.toFixed(2)} s (${(bytes / 2 ** 20 / tRead).toFixed(0)} MiB/s)`,
  );
  console.log(
    `  parameters: total ${w.parameters.total.toLocaleString('en-US')}, encoder ${w.parameters.encoder.toLocaleString('en-US')}, mask ${w.parameters.mask}, extras ${w.parameters.extras}`,
  );
  console.log(`  parity: ${parity}`);
}

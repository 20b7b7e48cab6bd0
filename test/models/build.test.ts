/**
 * Graphs built from checkpoints (models/build) against the reference hidden states transformers and
 * torchaudio computed for the committed fixtures (test/fixtures/checkpoints, tools/make_checkpoints_*.py):
 * every format, every layer, both layer-0 taps, per frame through LayerModel.embed and pooled through
 * the real extraction path. Metric: max |ours - ref| / max |ref| per layer and clip; tolerance 1e-5
 * (measured <= 2e-6 on every fixture, fused and plain graphs alike).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel } from '../../lib/models/build/build.js';
import { PLAIN } from '../../lib/models/build/emit.js';
import { relativeBucket, saturationDistance } from '../../lib/models/build/relativePosition.js';
import { openLayerModel } from '../../lib/models/layerModel.js';
import { inspectModel } from '../../lib/models/inspect.js';
import { extractFeatures } from '../../lib/features/extract.js';
import { readManifest } from '../../lib/features/manifest.js';
import { readNpy } from '../../lib/util/npy.js';
import { chunk, fmtChunk, sampleBytes, wavBytes } from '../audio/wavbytes.js';
import { relErr } from './fixtures.js';

const CK = join(import.meta.dirname, '..', 'fixtures', 'checkpoints');
const TOL = 1e-5;
const cacheDir = mkdtempSync(join(tmpdir(), 'bioprobe-build-'));

/** Every fixture format: the folder (or file) given as --model, and the folder holding its references. */
const CASES: { name: string; model: string; refs: string }[] = [
  ['hf_wav2vec2_base', 'hf_wav2vec2_base'], // safetensors, today's names
  ['hf_hubert_base', 'hf_hubert_base'],
  ['hf_wavlm_seqcls', 'hf_wavlm_seqcls'], // WavLM, gated relative position bias
  ['hf_wav2vec2_large_ctc', 'hf_wav2vec2_large_ctc'], // pre-LN large layout, ForCTC
  ['hf_hubert_large_sharded', 'hf_hubert_large_sharded'], // sharded safetensors
  ['hf_wav2vec2_pretraining_bin/pytorch_model.bin', 'hf_wav2vec2_pretraining_bin'], // 2021 .bin, weight_g/v
  ['hf_wav2vec2_pretraining_bin_sharded', 'hf_wav2vec2_pretraining_bin'], // sharded .bin
  ['ta_hubert_tiny/ta_hubert_tiny.torchaudio.pt', 'ta_hubert_tiny'], // AVES-style torchaudio .pt + JSON
  ['ta_w2v2_large_ctc_tiny', 'ta_w2v2_large_ctc_tiny'],
  ['fairseq_hubert_dictcfg/hubert_tiny.pt', 'fairseq_hubert_dictcfg'], // fairseq dict with an omegaconf cfg
  ['fairseq_wav2vec2_args', 'fairseq_wav2vec2_args'],
  ['fairseq_w2v_ctc_plaincfg', 'fairseq_w2v_ctc_plaincfg'],
].map(([model, refs]) => ({ name: model.split('/')[0], model: join(CK, model), refs: join(CK, refs, 'ref') }));

const input = (clip: string) => readNpy(join(CK, 'inputs', `${clip}.npy`)).data;

/** Reference layer l of a clip ([T, D]); layer 0 is the projection for the 'projection' tap. */
function reference(refs: string, clip: string, l: number, layer0: string): Float32Array {
  if (l === 0 && layer0 === 'projection') return readNpy(join(refs, `${clip}.projection.npy`)).data;
  const h = readNpy(join(refs, `${clip}.hidden.npy`));
  const size = h.shape[1] * h.shape[2];
  return h.data.subarray(l * size, (l + 1) * size);
}

test('every fixture format: built graph = reference hidden states on every layer, both layer-0 taps', async () => {
  for (const c of CASES) {
    for (const layer0 of ['encoder-input', 'projection'] as const) {
      const m = await openLayerModel(c.model, { layer0, cacheDir, session: { threads: 1 } });
      assert.equal(m.tapped.format, 'bioprobe.built/1');
      for (const clip of ['tone', 'chirp']) {
        const s = await m.embed(input(clip));
        assert.equal(s.layers.length, readNpy(join(c.refs, `${clip}.hidden.npy`)).shape[0], c.name);
        s.layers.forEach((got, l) => {
          const e = relErr(got, reference(c.refs, clip, l, layer0));
          assert.ok(e <= TOL, `${c.name} ${layer0} ${clip} layer ${l}: relative error ${e}`);
        });
      }
      await m.dispose();
    }
  }
});

test('plain-op graphs (no onnxruntime contrib ops) give the same numbers', async () => {
  for (const c of CASES.filter((x) => /wavlm|large_ctc|ta_hubert/.test(x.name))) {
    const b = await buildModel(c.model, { cacheDir, fusion: PLAIN });
    assert.ok(b.path.includes('-plain'), b.path);
    const m = await openLayerModel(b.path, { cacheDir, session: { threads: 1 } });
    const s = await m.embed(input('chirp'));
    s.layers.forEach((got, l) =>
      assert.ok(relErr(got, reference(c.refs, 'chirp', l, 'encoder-input')) <= TOL, `${c.name} plain layer ${l}`),
    );
    await m.dispose();
  }
});

/** A float32 WAV of the samples (exact: decoding gives the same floats back). */
function floatWav(x: Float32Array): Uint8Array {
  return wavBytes([fmtChunk({ tag: 3, channels: 1, rate: 16000, bits: 32 }), chunk('data', sampleBytes([...x], 'f32'))]);
}

/** [mean, unbiased std] over frames of [T, D], in float64 (SPEC.md pooling). */
function pooled(h: Float32Array, D: number): Float64Array {
  const T = h.length / D;
  const out = new Float64Array(2 * D);
  for (let d = 0; d < D; d++) {
    let m = 0;
    for (let t = 0; t < T; t++) m += h[t * D + d];
    m /= T;
    let v = 0;
    for (let t = 0; t < T; t++) v += (h[t * D + d] - m) ** 2;
    out[d] = m;
    out[D + d] = Math.sqrt(v / (T - 1));
  }
  return out;
}

test('through extractFeatures (--model <checkpoint>): pooled features = pooled reference hidden states on every layer', async () => {
  // chirp: 6400 samples, peak 1, 16 kHz, longer than the 5000-sample tiling minimum: the model sees it unchanged
  const data = mkdtempSync(join(tmpdir(), 'bioprobe-build-data-'));
  writeFileSync(join(data, 'chirp.wav'), floatWav(input('chirp')));
  writeFileSync(join(data, 'labels.csv'), 'path,label\nchirp.wav,a\n');
  for (const c of CASES) {
    const out = join(data, `out-${c.name}`);
    const r = await extractFeatures({ model: c.model, dataset: `csv:${join(data, 'labels.csv')}`, out, cacheDir, threads: 1 });
    const layers = readNpy(join(c.refs, 'chirp.hidden.npy')).shape[0];
    assert.equal(r.manifest.layers, layers);
    for (let l = 0; l < layers; l++) {
      const got = readNpy(join(out, `layer_${String(l).padStart(2, '0')}.npy`)).data;
      const D = got.length / 2;
      const ref = Float32Array.from(pooled(reference(c.refs, 'chirp', l, 'encoder-input'), D));
      for (const [half, what] of [
        [0, 'mean'],
        [D, 'std'],
      ] as const) {
        const e = relErr(got.subarray(half, half + D), ref.subarray(half, half + D));
        assert.ok(e <= TOL, `${c.name} layer ${l} ${what}: relative error ${e}`);
      }
    }
    const info = readManifest(out)!.modelInfo;
    assert.equal(info.file, c.model);
    assert.match(info.sha256, /^[0-9a-f]{64}$/);
    assert.ok(info.params! > 0 && info.encoderParams! > 0 && info.params! >= info.encoderParams!, `${c.name}: parameter counts recorded`);
    assert.match(String(info.format), /^(hf-|torchaudio|fairseq)/);
  }
});

test("exact parameter counts recorded: the checkpoint's (every tensor, and the encoder), an ONNX file's initializers", async () => {
  const manifest = JSON.parse(readFileSync(join(CK, 'hf_wavlm_seqcls', 'manifest.json'), 'utf8')) as {
    parameters: number;
    encoder_parameters: number;
  };
  const b = await buildModel(join(CK, 'hf_wavlm_seqcls'), { cacheDir });
  assert.equal(b.parameters, manifest.parameters, 'whole checkpoint, as torch counts it');
  assert.equal(
    b.checkpoint.parameters.encoder,
    manifest.encoder_parameters,
    'encoder, as torch counts the base model without its mask embedding',
  );
});

test("cache: keyed by the files' sha256, the layer-0 tap and the builder version; a changed config is a new build", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bioprobe-build-ck-'));
  for (const f of ['config.json', 'model.safetensors']) writeFileSync(join(dir, f), readFileSync(join(CK, 'hf_hubert_base', f)));
  const a = await buildModel(dir, { cacheDir });
  const mtime = statSync(a.path).mtimeMs;
  const again = await buildModel(join(dir, 'model.safetensors'), { cacheDir });
  assert.equal(again.path, a.path, 'same files, same build');
  assert.equal(statSync(again.path).mtimeMs, mtime, 'not rewritten');
  const proj = await buildModel(dir, { cacheDir, layer0: 'projection' });
  assert.notEqual(proj.path, a.path);
  assert.match(a.path, /-encoder-input-v\d+\/model\.onnx$/);
  assert.deepEqual(
    a.checkpoint.files.map((f) => f.name),
    ['config.json', 'model.safetensors'],
  );
  const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...cfg, layer_norm_eps: 1e-6 }));
  const changed = await buildModel(dir, { cacheDir });
  assert.notEqual(changed.sha256, a.sha256);
  assert.notEqual(changed.path, a.path);
});

test('a built graph is a drop-in ONNX file: inspect reads its layers, tapping it again is a no-op, its layer 0 is fixed', async () => {
  const b = await buildModel(join(CK, 'hf_wav2vec2_large_ctc'), { cacheDir, layer0: 'projection' });
  const copy = join(mkdtempSync(join(tmpdir(), 'bioprobe-build-copy-')), 'w2v2.onnx');
  writeFileSync(copy, readFileSync(b.path));
  const r = inspectModel(copy);
  assert.equal(r.layers?.count, 3);
  assert.equal(r.layers?.dim, 32);
  assert.equal(r.layers?.method, 'layer-outputs');
  assert.equal(r.layers?.norm, 'pre-ln');
  assert.deepEqual(r.layers?.layer0, ['projection']);
  const m = await openLayerModel(copy, { cacheDir, layer0: 'projection' });
  assert.equal(m.tapped.path, copy, 'used as it is');
  const s = await m.embed(input('chirp'));
  assert.ok(relErr(s.layers[0], reference(join(CK, 'hf_wav2vec2_large_ctc', 'ref'), 'chirp', 0, 'projection')) <= TOL);
  await m.dispose();
  await assert.rejects(openLayerModel(copy, { cacheDir, layer0: 'encoder-input' }), /layer_00 = the "projection" tap/);
});

test("WavLM buckets equal transformers' _relative_positions_bucket (float32 log), far beyond the fixtures' lengths", () => {
  const doc = JSON.parse(readFileSync(join(CK, 'wavlm_buckets.json'), 'utf8')) as {
    configs: { num_buckets: number; max_distance: number; from: number; buckets: number[] }[];
  };
  for (const c of doc.configs) {
    c.buckets.forEach((b, i) =>
      assert.equal(relativeBucket(c.from + i, c.num_buckets, c.max_distance), b, `${c.num_buckets}/${c.max_distance} at ${c.from + i}`),
    );
    const K = saturationDistance(c.num_buckets, c.max_distance);
    assert.ok(K <= -c.from, 'the table covers every distinct bucket');
    assert.equal(c.buckets[0], c.buckets[-c.from - K], 'clamped below');
  }
  assert.throws(() => saturationDistance(2, 10), /degenerate/);
});

test('checkpoints the builder cannot write are refused with a typed error naming the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bioprobe-build-bad-'));
  mkdirSync(dir, { recursive: true });
  const cfg = JSON.parse(readFileSync(join(CK, 'hf_hubert_base', 'config.json'), 'utf8'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...cfg, hidden_act: 'relu' }));
  writeFileSync(join(dir, 'model.safetensors'), readFileSync(join(CK, 'hf_hubert_base', 'model.safetensors')));
  await assert.rejects(
    buildModel(dir, { cacheDir }),
    (e: Error & { code?: string; file?: string }) => e.code === 'config-unsupported' && /relu/.test(e.message) && e.file!.startsWith(dir),
  );
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...cfg, num_hidden_layers: 3 }));
  await assert.rejects(buildModel(dir, { cacheDir }), (e: Error & { code?: string }) => e.code === 'checkpoint-keys');
  await assert.rejects(buildModel(join(CK, 'hf_hubert_base'), { cacheDir, expectLayers: 13 }), /3 layers .* expected 13/);
  assert.ok(!existsSync(join(dir, 'build.json')));
});

test('weights in an external data file (how models over 2 GB are written) give the same numbers', async () => {
  const b = await buildModel(join(CK, 'hf_wavlm_seqcls'), { cacheDir, externalData: true });
  const data = join(b.path, '..', 'model.onnx.data');
  assert.ok(statSync(data).size > 4 * statSync(b.path).size, 'the weights are in the data file');
  assert.deepEqual(inspectModel(b.path).externalData, ['model.onnx.data']);
  const m = await openLayerModel(b.path, { cacheDir, session: { threads: 1 } });
  const s = await m.embed(input('chirp'));
  s.layers.forEach((got, l) =>
    assert.ok(relErr(got, reference(join(CK, 'hf_wavlm_seqcls', 'ref'), 'chirp', l, 'encoder-input')) <= TOL, `layer ${l}`),
  );
  await m.dispose();
});

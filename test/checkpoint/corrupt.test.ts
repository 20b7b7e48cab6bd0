/**
 * Truncated and corrupt files: every reader fails with a typed CheckpointError naming the file (copies of
 * the fixtures cut or altered in a temp folder).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError } from '../../lib/util/errors.js';
import { openCheckpoint, openSafetensors, openTorchArchive } from '../../lib/checkpoint/index.js';
import { fix } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'bioprobe-ckpt-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

function typed(fn: () => unknown, code: RegExp, file: string) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof CheckpointError, `not a CheckpointError: ${String(e)}`);
    assert.match(e.code, code, e.message);
    assert.equal(e.file?.split(':')[0], file, e.oneLine());
    return true;
  });
}

function variant(src: string, name: string, edit: (b: Buffer) => Buffer): string {
  const out = join(tmp, name);
  writeFileSync(out, edit(readFileSync(src)));
  return out;
}

test('torch zip cut short: no end-of-directory record', () => {
  const f = variant(fix('ta_hubert_tiny', 'ta_hubert_tiny.torchaudio.pt'), 'cut.pt', (b) => b.subarray(0, b.length >> 1));
  typed(() => openTorchArchive(f), /^zip-/, f);
});

test('torch zip with one storage byte flipped: its CRC check fails when the tensor is read', () => {
  const src = fix('ta_hubert_tiny', 'ta_hubert_tiny.torchaudio.pt');
  const data = readFileSync(src);
  const at = data.indexOf(Buffer.from('ta_hubert_tiny.torchaudio/data/11')) + 200; // inside the data after that local header
  const f = variant(src, 'flipped.torchaudio.pt', (b) => {
    const c = Buffer.from(b);
    c[at] ^= 0xff;
    return c;
  });
  copyFileSync(fix('ta_hubert_tiny', 'ta_hubert_tiny.torchaudio.model_config.json'), join(tmp, 'flipped.torchaudio.model_config.json'));
  const ckpt = openCheckpoint(f);
  typed(() => ckpt.tensors.names().forEach((n) => ckpt.tensors.bytes(n)), /^zip-crc$/, f);
  ckpt.close();
});

test('torch zip whose data.pkl is damaged: a pickle error naming the archive entry', () => {
  const src = fix('dtypes.pt');
  const data = readFileSync(src);
  const at = data.indexOf(Buffer.from('dtypes/data.pkl')) + 'dtypes/data.pkl'.length + 100;
  const f = variant(src, 'badpkl.pt', (b) => {
    const c = Buffer.from(b);
    c[at] ^= 0x5a;
    return c;
  });
  typed(() => openTorchArchive(f), /^zip-crc$/, f);
});

test('a zip that is not a torch.save file, and a file that is neither zip nor pickle', () => {
  typed(() => openTorchArchive(fix('dtypes.safetensors')), /^torch-format$/, fix('dtypes.safetensors'));
});

test('safetensors cut short, bad header JSON, overlapping offsets, unknown dtype, header larger than the file', () => {
  const src = fix('dtypes.safetensors');
  const header = (b: Buffer) => JSON.parse(b.toString('utf8', 8, 8 + Number(b.readBigUInt64LE(0))));
  const withHeader = (b: Buffer, h: unknown) => {
    const n = Number(b.readBigUInt64LE(0));
    let text = JSON.stringify(h);
    text = text.padEnd(n, ' ');
    assert.equal(text.length, n, 'test edit must keep the header length');
    return Buffer.concat([b.subarray(0, 8), Buffer.from(text), b.subarray(8 + n)]);
  };
  const cut = variant(src, 'cut.safetensors', (b) => b.subarray(0, b.length - 3));
  typed(() => openSafetensors(cut), /^safetensors-truncated$/, cut);
  const json = variant(src, 'json.safetensors', (b) => {
    const c = Buffer.from(b);
    c[9] = 0x7b;
    c[10] = 0x7b;
    return c;
  });
  typed(() => openSafetensors(json), /^safetensors-header$/, json);
  const overlap = variant(src, 'overlap.safetensors', (b) => {
    const h = header(b);
    h.f32.data_offsets = [h.f32.data_offsets[0] + 4, h.f32.data_offsets[1] + 4];
    return withHeader(b, h);
  });
  typed(() => openSafetensors(overlap), /^safetensors-header$/, overlap);
  const dtype = variant(src, 'dtype.safetensors', (b) => {
    const h = header(b);
    h.f32.dtype = 'F8_E4M3';
    return withHeader(b, h);
  });
  typed(() => openSafetensors(dtype), /^safetensors-dtype$/, dtype);
  const shape = variant(src, 'shape.safetensors', (b) => {
    const h = header(b);
    h.f32.shape = [4, 7];
    return withHeader(b, h);
  });
  typed(() => openSafetensors(shape), /^safetensors-header$/, shape);
  const huge = variant(src, 'huge.safetensors', (b) => {
    const c = Buffer.from(b);
    c.writeBigUInt64LE(BigInt(b.length), 0);
    return c;
  });
  typed(() => openSafetensors(huge), /^safetensors-truncated$/, huge);
});

test('a shard the index points to lacks a tensor', () => {
  const dir = join(tmp, 'sharded');
  cpSync(fix('hf_hubert_large_sharded'), dir, { recursive: true });
  const index = join(dir, 'model.safetensors.index.json');
  const doc = JSON.parse(readFileSync(index, 'utf8'));
  const [name, file] = Object.entries(doc.weight_map as Record<string, string>)[0];
  doc.weight_map[name] =
    file === 'model-00001-of-00003.safetensors' ? 'model-00002-of-00003.safetensors' : 'model-00001-of-00003.safetensors';
  writeFileSync(index, JSON.stringify(doc));
  assert.throws(
    () => openCheckpoint(dir),
    (e: unknown) => e instanceof CheckpointError && /^shard-/.test(e.code) && /model-0000\d-of-00003\.safetensors$/.test(e.file ?? ''),
  );
});

test('a missing config, and weights that do not fit the config, list what is wrong', () => {
  const lone = join(tmp, 'lone.safetensors');
  copyFileSync(fix('hf_wav2vec2_base', 'model.safetensors'), lone);
  typed(() => openCheckpoint(lone), /^config-missing$/, lone);
  const cfg = JSON.parse(readFileSync(fix('hf_wav2vec2_base', 'config.json'), 'utf8'));
  const other = join(tmp, 'three-layers.json');
  writeFileSync(other, JSON.stringify({ ...cfg, num_hidden_layers: 3, feat_extract_norm: 'layer' }));
  const ckpt = openCheckpoint(fix('hf_wav2vec2_base'), { config: other });
  assert.throws(
    () => ckpt.canonical(),
    (e: unknown) => {
      assert.ok(e instanceof CheckpointError);
      assert.equal(e.code, 'checkpoint-keys');
      assert.match(e.message, /missing \d+: feature_extractor\.conv_layers\.1\.layer_norm\.weight/);
      assert.match(e.message, /missing 28: .* and 20 more/, '12 layer norms of the conv stack (layer layout) + 16 tensors of layer 2');
      assert.equal(e.file, fix('hf_wav2vec2_base', 'model.safetensors'));
      return true;
    },
  );
  ckpt.close();
});

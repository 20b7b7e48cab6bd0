/**
 * Open any wav2vec2-family checkpoint people publish and get its architecture and tensors:
 * - a Hugging Face folder (or its weights file): config.json + model.safetensors | sharded safetensors |
 *   pytorch_model.bin | sharded .bin;
 * - an AVES/torchaudio pair: `<name>.torchaudio.pt` + `<name>.torchaudio.model_config.json`;
 * - a fairseq checkpoint (`.pt` holding {model, cfg|args}): original wav2vec 2.0, HuBERT, AVES releases
 *   and their CTC fine-tunes.
 * Pickled files are read by the restricted unpickler: a state dict (and a fairseq `model`) may hold only
 * tensors and plain data; other classes are accepted only in a fairseq checkpoint's other parts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CheckpointError } from '../util/errors.js';
import { archFromTorchaudio, type Family, type Wav2Vec2Arch } from './arch.js';
import { toCanonical, type CanonicalWeights } from './canonical.js';
import { archFromFairseq, fairseqModelConfig } from './fairseqConfig.js';
import { archFromHfConfig } from './hfConfig.js';
import type { NamingScheme } from './keymap.js';
import { findForeign, toPlain, type PlainObject } from './plain.js';
import { PyDict, TensorRef } from './pyvalue.js';
import { openSafetensors } from './safetensors.js';
import { openSharded } from './sharded.js';
import { tableFromStateDict, openTorchArchive, type TorchArchive } from './torchArchive.js';
import type { TensorSource } from './tensors.js';

export type CheckpointFormat = 'hf-safetensors' | 'hf-safetensors-sharded' | 'hf-bin' | 'hf-bin-sharded' | 'torchaudio' | 'fairseq';

export interface Checkpoint {
  /** The weights file (or shard index) that was opened. */
  file: string;
  /** The config it was described by (config.json, model_config.json, or the checkpoint itself for fairseq). */
  configFile: string;
  format: CheckpointFormat;
  scheme: NamingScheme;
  arch: Wav2Vec2Arch;
  /** The config as plain data (fairseq: `{cfg, args}` with omegaconf/Namespace objects read as data). */
  config: PlainObject;
  /** Every tensor of the state dict (fairseq: of `model`), under its stored name. */
  tensors: TensorSource;
  /** The tensors under canonical names, checked against `arch` (throws CheckpointError listing mismatches). */
  canonical(): CanonicalWeights;
  close(): void;
}

export interface OpenCheckpointOptions {
  /** A config file to use instead of the one found beside the weights (HF config.json or a torchaudio model_config.json). */
  config?: string;
  /** Family of a torchaudio checkpoint (its config does not say; default: 'hubert' when the file name says hubert/aves, else 'wav2vec2'). */
  family?: Family;
}

function readJson(file: string): PlainObject {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CheckpointError('config-unreadable', `unreadable JSON config: ${(e as Error).message}`, { file });
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new CheckpointError('config-unreadable', 'config is not a JSON object', { file });
  return v as PlainObject;
}

/** The state dict of a plain torch.save file: a dict whose entries are tensors (and plain data). */
function stateDictTable(archive: TorchArchive, root: unknown, file: string) {
  if (!(root instanceof PyDict))
    throw new CheckpointError('checkpoint-format', 'the pickle does not hold a dict of tensors (a state dict)', {
      file,
      hint: 'save model.state_dict(), not the model',
    });
  const foreign = findForeign(root);
  if (foreign) {
    throw new CheckpointError(
      'pickle-refused',
      `a state dict may hold only tensors and plain data; ${foreign.path || 'its root'} is a ${foreign.name}`,
      { file, hint: 'save model.state_dict() with torch.save' },
    );
  }
  const tensors = [...root.map].filter((e): e is [string, TensorRef] => typeof e[0] === 'string' && e[1] instanceof TensorRef);
  return tableFromStateDict(archive, tensors);
}

/** A torch.save file: fairseq when it holds {model, cfg|args}, else a state dict described by `configFile`. */
function fromTorchFile(file: string, configFile: string, opts: OpenCheckpointOptions): Checkpoint {
  const archive = openTorchArchive(file);
  try {
    const root = archive.root;
    if (root instanceof PyDict && root.map.get('model') instanceof PyDict && (root.map.has('cfg') || root.map.has('args')))
      return fairseqFrom(archive);
    if (!configFile)
      throw new CheckpointError('config-missing', 'a state dict without a config: no config.json or <name>.model_config.json beside it', {
        file,
        hint: 'pass the config file explicitly',
      });
    return describe(file, configFile, 'hf-bin', stateDictTable(archive, root, file), opts);
  } catch (e) {
    archive.close();
    throw e;
  }
}

/** A fairseq checkpoint: `model` strict (tensors and plain data only), `cfg`/`args` read as plain data. */
function fairseqFrom(archive: TorchArchive): Checkpoint {
  const { file, root } = archive;
  const model = root instanceof PyDict ? root.map.get('model') : undefined;
  if (!(root instanceof PyDict) || !(model instanceof PyDict))
    throw new CheckpointError('checkpoint-format', 'not a fairseq checkpoint (no "model" state dict)', { file });
  const foreign = findForeign(model, 'model');
  if (foreign)
    throw new CheckpointError(
      'pickle-refused',
      `the model part may hold only tensors and plain data; ${foreign.path} is a ${foreign.name}`,
      { file },
    );
  const cfg = root.map.has('cfg') ? toPlain(root.map.get('cfg') ?? null) : null;
  const args = root.map.has('args') ? toPlain(root.map.get('args') ?? null) : null;
  const entries = [...model.map].filter((e): e is [string, TensorRef] => typeof e[0] === 'string' && e[1] instanceof TensorRef);
  const arch = archFromFairseq(
    fairseqModelConfig(cfg ?? undefined, args ?? undefined, file),
    file,
    entries.map((e) => e[0]),
  );
  return finish(file, file, 'fairseq', 'fairseq', arch, { cfg, args }, tableFromStateDict(archive, entries));
}

function finish(
  file: string,
  configFile: string,
  format: CheckpointFormat,
  scheme: NamingScheme,
  arch: Wav2Vec2Arch,
  config: PlainObject,
  tensors: TensorSource,
): Checkpoint {
  let cached: CanonicalWeights | undefined;
  return {
    file,
    configFile,
    format,
    scheme,
    arch,
    config,
    tensors,
    canonical: () => (cached ??= toCanonical(tensors, arch, scheme, file)),
    close: () => tensors.close(),
  };
}

/** Describe a tensor source by its config file (HF config.json or torchaudio model_config.json). */
function describe(
  file: string,
  configFile: string,
  format: CheckpointFormat,
  tensors: TensorSource,
  opts: OpenCheckpointOptions,
): Checkpoint {
  try {
    const config = readJson(configFile);
    if (typeof config.model_type === 'string') {
      return finish(file, configFile, format, 'hf', archFromHfConfig(config, configFile), config, tensors);
    }
    if ('encoder_embed_dim' in config || 'extractor_mode' in config) {
      const family = opts.family ?? (/hubert|aves/i.test(basename(file)) ? 'hubert' : 'wav2vec2');
      return finish(file, configFile, 'torchaudio', 'torchaudio', archFromTorchaudio(config, configFile, family), config, tensors);
    }
    throw new CheckpointError('config-unknown', 'neither a Hugging Face config.json (model_type) nor torchaudio wav2vec2_model arguments', {
      file: configFile,
    });
  } catch (e) {
    tensors.close();
    throw e;
  }
}

function need(path: string, what: string, near: string): string {
  if (!existsSync(path))
    throw new CheckpointError('config-missing', `no ${what} beside the weights (looked for ${basename(path)})`, {
      file: near,
      hint: 'pass the config file explicitly',
    });
  return path;
}

/** Open a checkpoint folder or file (see the module comment for what is recognised). */
export function openCheckpoint(path: string, opts: OpenCheckpointOptions = {}): Checkpoint {
  if (!existsSync(path)) throw new CheckpointError('checkpoint-missing', 'no such file or folder', { file: path });
  if (statSync(path).isDirectory()) {
    const has = (f: string) => existsSync(join(path, f));
    for (const f of ['model.safetensors', 'model.safetensors.index.json', 'pytorch_model.bin', 'pytorch_model.bin.index.json']) {
      if (has(f)) return openCheckpoint(join(path, f), opts);
    }
    const files = readdirSync(path);
    const ta = files.filter((f) => f.endsWith('.torchaudio.pt'));
    const pts = files.filter((f) => f.endsWith('.pt'));
    if (ta.length === 1) return openCheckpoint(join(path, ta[0]), opts);
    if (pts.length === 1) return openCheckpoint(join(path, pts[0]), opts);
    throw new CheckpointError(
      'checkpoint-missing',
      'no checkpoint found in this folder (model.safetensors, pytorch_model.bin, <name>.torchaudio.pt or one .pt file)',
      { file: path },
    );
  }
  const dir = dirname(path);
  const name = basename(path);
  const hfConfig = () => opts.config ?? need(join(dir, 'config.json'), 'config.json', path);
  if (name.endsWith('.index.json')) {
    const bin = name.startsWith('pytorch_model');
    const tensors = openSharded(path, (f) => {
      if (!bin) return openSafetensors(f);
      const archive = openTorchArchive(f);
      try {
        return stateDictTable(archive, archive.root, f);
      } catch (e) {
        archive.close();
        throw e;
      }
    });
    return describe(path, hfConfig(), bin ? 'hf-bin-sharded' : 'hf-safetensors-sharded', tensors, opts);
  }
  if (name.endsWith('.safetensors')) return describe(path, hfConfig(), 'hf-safetensors', openSafetensors(path), opts);
  if (name.endsWith('.torchaudio.pt')) {
    const cfg = opts.config ?? need(join(dir, name.replace(/\.pt$/, '.model_config.json')), 'torchaudio model_config.json', path);
    return fromTorchFile(path, cfg, opts);
  }
  // Any other torch.save file: fairseq when it holds {model, cfg|args}; else a state dict with a config beside it.
  const stem = name.replace(/\.(pt|bin|pth|ckpt)$/, '');
  const config = opts.config ?? [join(dir, `${stem}.model_config.json`), join(dir, 'config.json')].find((f) => existsSync(f)) ?? '';
  return fromTorchFile(path, config, opts);
}

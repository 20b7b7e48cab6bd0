/**
 * fairseq wav2vec 2.0 / HuBERT model configs -> Wav2Vec2Arch: `cfg.model` (omegaconf or plain dict, fairseq
 * >= 0.10), `args` (argparse.Namespace, 2020 releases), and fine-tunes (`wav2vec_ctc`, `hubert_ctc`...) whose
 * pre-training config sits in `w2v_args`. Missing keys take fairseq's dataclass defaults. The conv stack is a
 * Python expression string (`"[(512, 10, 5)] + [(512, 3, 2)] * 4 + ..."`) which fairseq eval()s; here a
 * tiny parser reads exactly integers, tuples, lists, `+` and `*`.
 */
import { CheckpointError } from '../util/errors.js';
import { checkArch, field, isBool, isInt, isStr, type ConvLayerSpec, type Family, type Wav2Vec2Arch } from './arch.js';
import type { Plain, PlainObject } from './plain.js';

const DEFAULT_CONV_STR = '[(512, 10, 5)] + [(512, 3, 2)] * 4 + [(512,2,2)] + [(512,2,2)]';

type Val = number | Val[];

/** Evaluate a conv_feature_layers string (integers, (tuples), [lists], list + list, list * int). */
export function parseConvLayers(expr: string, file: string): ConvLayerSpec[] {
  let p = 0;
  const bad = (msg: string) => new CheckpointError('config-invalid', `conv_feature_layers ${JSON.stringify(expr)}: ${msg}`, { file });
  const ws = () => {
    while (p < expr.length && /\s/.test(expr[p])) p++;
  };
  const peek = () => {
    ws();
    return expr[p];
  };
  /** Items up to `close`; `comma` says whether any comma was seen (a 1-tuple needs one). */
  const seq = (close: string): { items: Val[]; comma: boolean } => {
    const items: Val[] = [];
    let comma = false;
    while (peek() !== close) {
      items.push(sum());
      if (peek() === ',') {
        p++;
        comma = true;
      } else if (peek() !== close) throw bad(`expected "," or "${close}" at ${p}`);
    }
    p++;
    return { items, comma };
  };
  const atom = (): Val => {
    const c = peek();
    if (c === '[') {
      p++;
      return seq(']').items;
    }
    if (c === '(') {
      p++;
      const { items, comma } = seq(')');
      return items.length === 1 && !comma ? items[0] : items;
    }
    const m = /^\d+/.exec(expr.slice(p));
    if (!m) throw bad(`unexpected ${c === undefined ? 'end' : JSON.stringify(c)} at ${p}`);
    p += m[0].length;
    return Number(m[0]);
  };
  const product = (): Val => {
    let v = atom();
    while (peek() === '*') {
      p++;
      const r = atom();
      if (Array.isArray(v) && typeof r === 'number') v = Array.from({ length: r }, () => v as Val[]).flat(1);
      else if (typeof v === 'number' && Array.isArray(r)) v = Array.from({ length: v }, () => r).flat(1);
      else if (typeof v === 'number' && typeof r === 'number') v = v * r;
      else throw bad('"*" needs a list and an integer');
    }
    return v;
  };
  const sum = (): Val => {
    let v = product();
    while (peek() === '+') {
      p++;
      const r = product();
      if (Array.isArray(v) && Array.isArray(r)) v = [...v, ...r];
      else if (typeof v === 'number' && typeof r === 'number') v = v + r;
      else throw bad('"+" needs two lists');
    }
    return v;
  };
  const v = sum();
  if (peek() !== undefined) throw bad(`unexpected text at ${p}`);
  if (!Array.isArray(v) || !v.every((t) => Array.isArray(t) && t.length === 3 && t.every((x) => typeof x === 'number'))) {
    throw bad('not a list of (dim, kernel, stride) triples');
  }
  return (v as number[][]).map(([dim, kernel, stride]) => ({ dim, kernel, stride }));
}

const isObj = (v: Plain | undefined): v is PlainObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The model section of a fairseq checkpoint's config: `cfg.model` (or flat `args`), following a
 * fine-tune's `w2v_args` to the pre-training config that describes the encoder.
 */
export function fairseqModelConfig(cfg: Plain | undefined, args: Plain | undefined, file: string): PlainObject {
  let m: Plain | undefined = isObj(cfg) ? (isObj(cfg.model) ? cfg.model : undefined) : undefined;
  if (!m && isObj(args)) m = args;
  if (!isObj(m)) throw new CheckpointError('config-missing', 'fairseq checkpoint without a model config (cfg.model or args)', { file });
  if ('w2v_args' in m || 'w2v_path' in m) {
    const inner = m.w2v_args;
    if (!isObj(inner)) {
      throw new CheckpointError(
        'config-missing',
        `fine-tuned checkpoint whose config does not embed its pre-training config (w2v_args is empty; w2v_path ${JSON.stringify(m.w2v_path)})`,
        { file, hint: 'use a checkpoint saved with its w2v_args, or the pre-trained model' },
      );
    }
    return isObj(inner.model) ? inner.model : inner;
  }
  return m;
}

function familyOf(m: PlainObject, keys: readonly string[]): Family {
  const name = String(m._name ?? m.arch ?? '');
  if (/hubert/i.test(name) || keys.includes('label_embs_concat')) return 'hubert';
  if (/wavlm/i.test(name)) return 'wavlm';
  return 'wav2vec2';
}

/** A fairseq Wav2Vec2Config / HubertConfig (as plain data) -> Wav2Vec2Arch. `keys`: the state dict's names. */
export function archFromFairseq(m: PlainObject, file: string, keys: readonly string[] = []): Wav2Vec2Arch {
  const f = <T>(key: string, fallback: T, check: (v: unknown) => boolean, what: string) => field(m, key, fallback, file, check, what);
  const layerType = f('layer_type', 'transformer', isStr, 'a string');
  if (layerType !== 'transformer')
    throw new CheckpointError('config-unsupported', `layer_type ${layerType}: only transformer layers are built (not conformer)`, { file });
  if (f('pos_conv_depth', 1, isInt, 'an integer') !== 1)
    throw new CheckpointError('config-unsupported', 'pos_conv_depth > 1 (data2vec-style positional conv stack) is not built', { file });
  if (f('conv_pos_batch_norm', false, isBool, 'a boolean'))
    throw new CheckpointError('config-unsupported', 'conv_pos_batch_norm: a batch-normed positional conv is not built', { file });
  const mode = f('extractor_mode', 'default', (v) => v === 'default' || v === 'layer_norm', '"default" or "layer_norm"');
  const family = familyOf(m, keys);
  if (family === 'wavlm')
    throw new CheckpointError('config-unsupported', 'original WavLM checkpoints are not read yet', {
      file,
      hint: 'use the Hugging Face WavLM checkpoint (microsoft/wavlm-*)',
    });
  return checkArch(
    {
      family,
      source: 'fairseq',
      layout: f('layer_norm_first', false, isBool, 'a boolean') ? 'pre-ln' : 'post-ln',
      featExtractNorm: mode === 'default' ? 'group' : 'layer',
      convLayers: parseConvLayers(f('conv_feature_layers', DEFAULT_CONV_STR, isStr, 'a string'), file),
      convBias: f('conv_bias', false, isBool, 'a boolean'),
      featExtractActivation: 'gelu',
      convNormEps: 1e-5,
      featureProjectionLayerNorm: true,
      hiddenSize: f('encoder_embed_dim', 768, isInt, 'an integer'),
      numLayers: f('encoder_layers', 12, isInt, 'an integer'),
      numHeads: f('encoder_attention_heads', 12, isInt, 'an integer'),
      ffnDim: f('encoder_ffn_embed_dim', 3072, isInt, 'an integer'),
      activation: f('activation_fn', 'gelu', isStr, 'a string'),
      posConvKernel: f('conv_pos', 128, isInt, 'an integer'),
      posConvGroups: f('conv_pos_groups', 16, isInt, 'an integer'),
      layerNormEps: 1e-5,
    },
    file,
  );
}

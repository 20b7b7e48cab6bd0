/**
 * The zoo: the seven models of the paper's Table II (SPEC.md), and a few more of the same families,
 * each from its original checkpoint (Hugging Face repository pinned to a commit where one is known, or
 * the URLs the authors publish), built into an every-layer graph by models/build. Public ONNX exports,
 * where they exist, stay available as an alternative (`bioprobe models pull <id> --onnx`).
 * Revisions and sha256 are recorded only where they were found published (docs/MODELS.md says which).
 */
import type { Layer0Tap } from './detect.js';
import { Registry } from './registry.js';

/** A public ONNX export: a file in a Hugging Face repo, or a plain URL. */
export type OnnxSource =
  | {
      kind: 'hf';
      repo: string;
      /** The full-precision file (pulled by default). */
      file: string;
      /** Other published files (quantized, fp16...), pulled only when asked by name. */
      variants: Record<string, string>;
      revision?: string;
    }
  | { kind: 'url'; url: string; file: string; variants: Record<string, string> };

/** Where a model's original checkpoint comes from. */
export type CheckpointSource =
  | {
      kind: 'hf';
      repo: string;
      /** A commit to pull (pinned); unpinned: the repository's main branch. */
      revision?: string;
      /** Weight files in order of preference (default: safetensors, sharded safetensors, .bin, sharded .bin). */
      weights?: string[];
      /** Published sha256 of files (checked in addition to the hub's LFS sha256). */
      sha256?: Record<string, string>;
    }
  | {
      kind: 'url';
      /** Every file of the checkpoint (AVES: the torchaudio .pt and its model_config.json). */
      files: { url: string; sha256?: string }[];
    };

export interface ZooEntry {
  id: string;
  title: string;
  family: 'hubert' | 'wav2vec2' | 'wavlm';
  /** 'PT' pre-trained only, 'PT+FT' also fine-tuned with CTC (head ignored: only hidden states are used). */
  type: 'PT' | 'PT+FT';
  /** Pre-training corpus (and fine-tuning data for PT+FT). */
  corpus: string;
  /** The original checkpoint, for people (HF repo id or URL). */
  checkpoint: string;
  /** Where its files come from. */
  source: CheckpointSource;
  /** One of the paper's seven models (Table II); the others are extras. */
  paper: boolean;
  /** A public ONNX export, when one exists. */
  onnx?: OnnxSource;
  /** Layers including layer 0. */
  layers: number;
  dim: number;
  /** Encoder parameter count (CTC head excluded), approximate; the exact counts come from the files. */
  params?: number;
  /** The paper's layer-0 tap for this model (SPEC.md "Layers"); AVES' choice for AVES-family models. */
  layer0: Layer0Tap;
  /** What the public export outputs (before tapping). */
  exportOutputs?: string;
}

export const zoo = new Registry<ZooEntry>('model zoo');

const base = { layers: 13, dim: 768 } as const;
const large = { layers: 25, dim: 1024 } as const;
const xenova = (repo: string, extra: Record<string, string> = {}): OnnxSource => ({
  kind: 'hf',
  repo,
  file: 'onnx/model.onnx',
  variants: { quantized: 'onnx/model_quantized.onnx', fp16: 'onnx/model_fp16.onnx', ...extra },
});
const hf = (repo: string, revision?: string): CheckpointSource => ({ kind: 'hf', repo, ...(revision ? { revision } : {}) });
/** An Earth Species Project release: `<name>.torchaudio.pt` and its `.torchaudio.model_config.json`. */
const esp = (folder: string, name: string): CheckpointSource => ({
  kind: 'url',
  files: ['torchaudio.pt', 'torchaudio.model_config.json'].map((ext) => ({
    url: `https://storage.googleapis.com/esp-public-files/${folder}/${name}.${ext}`,
  })),
});

zoo.register({
  id: 'aves-bio',
  title: 'AVES bio (HuBERT-base architecture, torchaudio port)',
  family: 'hubert',
  type: 'PT',
  paper: true,
  corpus: 'FSD50K + AudioSet/VGGSound animal sounds (360 h)',
  checkpoint: 'https://storage.googleapis.com/esp-public-files/ported_aves/aves-base-bio.torchaudio.pt',
  source: esp('ported_aves', 'aves-base-bio'),
  onnx: {
    kind: 'url',
    url: 'https://storage.googleapis.com/esp-public-files/ported_aves/aves-base-bio.onnx',
    file: 'aves-base-bio.onnx',
    variants: {},
  },
  ...base,
  params: 94_370_944,
  layer0: 'projection',
  exportOutputs: 'last layer only (torch.onnx export of torchaudio)',
});
zoo.register({
  id: 'hubert-base',
  title: 'HuBERT base (LibriSpeech 960 h)',
  family: 'hubert',
  type: 'PT',
  paper: true,
  corpus: 'LibriSpeech 960 h',
  checkpoint: 'facebook/hubert-base-ls960',
  source: hf('facebook/hubert-base-ls960', 'dba3bb02fda4248b6e082697eee756de8fe8aa8a'),
  onnx: xenova('Xenova/hubert-base-ls960'),
  ...base,
  params: 94_371_712,
  layer0: 'encoder-input',
  exportOutputs: 'last_hidden_state only (optimum export)',
});
zoo.register({
  id: 'w2v2-base',
  title: 'wav2vec 2.0 base',
  family: 'wav2vec2',
  type: 'PT',
  paper: true,
  corpus: 'LibriSpeech 960 h',
  checkpoint: 'facebook/wav2vec2-base',
  source: hf('facebook/wav2vec2-base', '0b5b8e868dd84f03fd87d01f9c4ff0f080fecfe8'),
  ...base,
  params: 94_371_712,
  layer0: 'encoder-input',
});
zoo.register({
  id: 'w2v2-base-100h',
  title: 'wav2vec 2.0 base, CTC fine-tuned on 100 h',
  family: 'wav2vec2',
  type: 'PT+FT',
  paper: true,
  corpus: 'LibriSpeech 960 h; CTC fine-tuning on train-clean-100',
  checkpoint: 'facebook/wav2vec2-base-100h',
  source: hf('facebook/wav2vec2-base-100h'),
  ...base,
  params: 94_371_712,
  layer0: 'encoder-input',
});
zoo.register({
  id: 'w2v2-base-960h',
  title: 'wav2vec 2.0 base, CTC fine-tuned on 960 h',
  family: 'wav2vec2',
  type: 'PT+FT',
  paper: true,
  corpus: 'LibriSpeech 960 h; CTC fine-tuning on 960 h',
  checkpoint: 'facebook/wav2vec2-base-960h',
  source: hf('facebook/wav2vec2-base-960h', '22aad52d435eb6dbaf354bdad9b0da84ce7d6156'),
  onnx: xenova('Xenova/wav2vec2-base-960h', {
    int8: 'onnx/model_int8.onnx',
    uint8: 'onnx/model_uint8.onnx',
    q4: 'onnx/model_q4.onnx',
    bnb4: 'onnx/model_bnb4.onnx',
  }),
  ...base,
  params: 94_371_712,
  layer0: 'encoder-input',
  exportOutputs: 'CTC logits only (optimum export)',
});
zoo.register({
  id: 'wavlm-base',
  title: 'WavLM base',
  family: 'wavlm',
  type: 'PT',
  paper: true,
  corpus: 'LibriSpeech 960 h',
  checkpoint: 'microsoft/wavlm-base',
  source: hf('microsoft/wavlm-base', 'efa81aae7ff777e464159e0f877d54eac5b84f81'),
  onnx: xenova('Xenova/wavlm-base'),
  ...base,
  params: 94_381_936,
  layer0: 'encoder-input',
  exportOutputs: 'last_hidden_state only (optimum export)',
});
zoo.register({
  id: 'wavlm-base-100h',
  title: 'WavLM base, CTC fine-tuned on 100 h',
  family: 'wavlm',
  type: 'PT+FT',
  paper: true,
  corpus: 'LibriSpeech 960 h; CTC fine-tuning on train-clean-100',
  checkpoint: 'patrickvonplaten/wavlm-libri-clean-100h-base',
  source: hf('patrickvonplaten/wavlm-libri-clean-100h-base'),
  ...base,
  params: 94_381_936,
  layer0: 'encoder-input',
});

// ---- extras: not in the paper, same families ----------------------------------------------------------------
zoo.register({
  id: 'birdaves-biox-base',
  title: 'BirdAVES biox base (HuBERT-base architecture, torchaudio)',
  family: 'hubert',
  type: 'PT',
  paper: false,
  corpus: 'AVES bio data + xeno-canto birds',
  checkpoint: 'https://storage.googleapis.com/esp-public-files/birdaves/birdaves-biox-base.torchaudio.pt',
  source: esp('birdaves', 'birdaves-biox-base'),
  ...base,
  layer0: 'projection',
});
zoo.register({
  id: 'birdaves-biox-large',
  title: 'BirdAVES biox large (HuBERT-large architecture, torchaudio)',
  family: 'hubert',
  type: 'PT',
  paper: false,
  corpus: 'AVES bio data + xeno-canto birds',
  checkpoint: 'https://storage.googleapis.com/esp-public-files/birdaves/birdaves-biox-large.torchaudio.pt',
  source: esp('birdaves', 'birdaves-biox-large'),
  ...large,
  layer0: 'projection',
});
zoo.register({
  id: 'birdaves-bioxn-large',
  title: 'BirdAVES bioxn large (HuBERT-large architecture, torchaudio)',
  family: 'hubert',
  type: 'PT',
  paper: false,
  corpus: 'AVES bio data + xeno-canto + iNaturalist birds',
  checkpoint: 'https://storage.googleapis.com/esp-public-files/birdaves/birdaves-bioxn-large.torchaudio.pt',
  source: esp('birdaves', 'birdaves-bioxn-large'),
  ...large,
  layer0: 'projection',
});
zoo.register({
  id: 'hubert-large',
  title: 'HuBERT large (Libri-Light 60k h)',
  family: 'hubert',
  type: 'PT',
  paper: false,
  corpus: 'Libri-Light 60k h',
  checkpoint: 'facebook/hubert-large-ll60k',
  source: hf('facebook/hubert-large-ll60k', 'ff022d095678a2995f3c49bab18a96a9e553f782'),
  ...large,
  layer0: 'encoder-input',
});
zoo.register({
  id: 'w2v2-large',
  title: 'wav2vec 2.0 large (LibriSpeech 960 h)',
  family: 'wav2vec2',
  type: 'PT',
  paper: false,
  corpus: 'LibriSpeech 960 h',
  checkpoint: 'facebook/wav2vec2-large',
  source: hf('facebook/wav2vec2-large'),
  ...large,
  layer0: 'encoder-input',
});
zoo.register({
  id: 'w2v2-large-lv60',
  title: 'wav2vec 2.0 large (Libri-Light 60k h)',
  family: 'wav2vec2',
  type: 'PT',
  paper: false,
  corpus: 'Libri-Light 60k h',
  checkpoint: 'facebook/wav2vec2-large-lv60',
  source: hf('facebook/wav2vec2-large-lv60'),
  ...large,
  layer0: 'encoder-input',
});

/**
 * The seven models of the paper's Table II (SPEC.md): where their weights come from, where a public
 * ONNX export exists, and what bioprobe expects of them (13 layers of width 768, the layer-0 tap the
 * paper's code used). Entries without a public ONNX export say so; docs/MODELS.md shows how to make one.
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

export interface ZooEntry {
  id: string;
  title: string;
  family: 'hubert' | 'wav2vec2' | 'wavlm';
  /** 'PT' pre-trained only, 'PT+FT' also fine-tuned with CTC (head ignored: only hidden states are used). */
  type: 'PT' | 'PT+FT';
  /** Pre-training corpus (and fine-tuning data for PT+FT). */
  corpus: string;
  /** The original checkpoint (HF repo id or URL). */
  checkpoint: string;
  /** A public ONNX export, when one exists. */
  onnx?: OnnxSource;
  /** Layers including layer 0. */
  layers: number;
  dim: number;
  /** Encoder parameter count (CTC head excluded), approximate. */
  params: number;
  /** The paper's layer-0 tap for this model (SPEC.md "Layers"). */
  layer0: Layer0Tap;
  /** What the public export outputs (before tapping). */
  exportOutputs?: string;
}

export const zoo = new Registry<ZooEntry>('model zoo');

const base = { layers: 13, dim: 768 } as const;
const xenova = (repo: string, extra: Record<string, string> = {}): OnnxSource => ({
  kind: 'hf', repo, file: 'onnx/model.onnx',
  variants: { quantized: 'onnx/model_quantized.onnx', fp16: 'onnx/model_fp16.onnx', ...extra },
});

zoo.register({
  id: 'aves-bio', title: 'AVES bio (HuBERT-base architecture, torchaudio port)', family: 'hubert', type: 'PT',
  corpus: 'FSD50K + AudioSet/VGGSound animal sounds (360 h)',
  checkpoint: 'https://storage.googleapis.com/esp-public-files/ported_aves/aves-base-bio.torchaudio.pt',
  onnx: { kind: 'url', url: 'https://storage.googleapis.com/esp-public-files/ported_aves/aves-base-bio.onnx', file: 'aves-base-bio.onnx', variants: {} },
  ...base, params: 94_370_944, layer0: 'projection', exportOutputs: 'last layer only (torch.onnx export of torchaudio)',
});
zoo.register({
  id: 'hubert-base', title: 'HuBERT base (LibriSpeech 960 h)', family: 'hubert', type: 'PT', corpus: 'LibriSpeech 960 h',
  checkpoint: 'facebook/hubert-base-ls960', onnx: xenova('Xenova/hubert-base-ls960'),
  ...base, params: 94_371_712, layer0: 'encoder-input', exportOutputs: 'last_hidden_state only (optimum export)',
});
zoo.register({
  id: 'w2v2-base', title: 'wav2vec 2.0 base', family: 'wav2vec2', type: 'PT', corpus: 'LibriSpeech 960 h',
  checkpoint: 'facebook/wav2vec2-base', ...base, params: 94_371_712, layer0: 'encoder-input',
});
zoo.register({
  id: 'w2v2-base-100h', title: 'wav2vec 2.0 base, CTC fine-tuned on 100 h', family: 'wav2vec2', type: 'PT+FT',
  corpus: 'LibriSpeech 960 h; CTC fine-tuning on train-clean-100', checkpoint: 'facebook/wav2vec2-base-100h',
  ...base, params: 94_371_712, layer0: 'encoder-input',
});
zoo.register({
  id: 'w2v2-base-960h', title: 'wav2vec 2.0 base, CTC fine-tuned on 960 h', family: 'wav2vec2', type: 'PT+FT',
  corpus: 'LibriSpeech 960 h; CTC fine-tuning on 960 h', checkpoint: 'facebook/wav2vec2-base-960h',
  onnx: xenova('Xenova/wav2vec2-base-960h', { int8: 'onnx/model_int8.onnx', uint8: 'onnx/model_uint8.onnx', q4: 'onnx/model_q4.onnx', bnb4: 'onnx/model_bnb4.onnx' }),
  ...base, params: 94_371_712, layer0: 'encoder-input', exportOutputs: 'CTC logits only (optimum export)',
});
zoo.register({
  id: 'wavlm-base', title: 'WavLM base', family: 'wavlm', type: 'PT', corpus: 'LibriSpeech 960 h',
  checkpoint: 'microsoft/wavlm-base', onnx: xenova('Xenova/wavlm-base'),
  ...base, params: 94_381_936, layer0: 'encoder-input', exportOutputs: 'last_hidden_state only (optimum export)',
});
zoo.register({
  id: 'wavlm-base-100h', title: 'WavLM base, CTC fine-tuned on 100 h', family: 'wavlm', type: 'PT+FT',
  corpus: 'LibriSpeech 960 h; CTC fine-tuning on train-clean-100', checkpoint: 'patrickvonplaten/wavlm-libri-clean-100h-base',
  ...base, params: 94_381_936, layer0: 'encoder-input',
});

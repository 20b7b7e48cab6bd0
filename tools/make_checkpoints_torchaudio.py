#!/usr/bin/python3
"""Tiny torchaudio (AVES-style) and fairseq-style checkpoints, refused pickles, and their references.

Run with Debian's Python (torch 1.13, torchaudio 0.13, omegaconf 2.2 from `apt-get install python3-omegaconf`),
never at run or test time:
    /usr/bin/python3 tools/make_checkpoints_torchaudio.py          # -> test/fixtures/checkpoints/{ta_*,fairseq_*,refuse/}
    /usr/bin/python3 tools/make_checkpoints_torchaudio.py --full   # + full-size random HuBERT-base (torchaudio and
                                                                   #   fairseq-style) -> .cache/checkpoints/ (not committed)

- ta_*: torchaudio.models.wav2vec2_model state dicts saved the way AVES ships them (`<name>.torchaudio.pt` =
  torch.save(model.state_dict()), `<name>.torchaudio.model_config.json` = the wav2vec2_model arguments).
- fairseq_*: fairseq itself is not installable here, so these dicts are assembled by hand the way
  fairseq's trainer saves them: `model` holds the torchaudio weights under fairseq's names (the inverse of
  torchaudio's own import_fairseq mapping, checked by running that mapping back on them), plus the
  pre-training tensors fairseq keeps (mask_emb, final_proj, label_embs_concat, quantizer...); the config is
  (a) an omegaconf 2.2 DictConfig (fairseq before May 2021), its model node a structured config of a
  stand-in dataclass registered as fairseq.models.hubert.hubert.HubertConfig with an enum field,
  (b) an argparse.Namespace `args` (wav2vec 2.0's 2020 releases), (c) a plain dict `cfg` (fairseq since
  May 2021, AVES' fairseq releases), with optimizer state, metrics and numpy scalars like a real trainer's.
- refuse/: pickles a checkpoint reader must refuse (os.system, builtins.eval, a whole nn.Module, code in
  the config part, an unknown class in the model part) and the legacy pre-1.6 format.
References: torchaudio's extract_features per layer, plus encoder input and feature projection (ref/).
"""
import argparse
import dataclasses
import enum
import json
import os
import re
import shutil
import sys
import types
import typing

import numpy as np
import torch
import torchaudio
import omegaconf
from omegaconf import OmegaConf
from torchaudio.models import wav2vec2_model
from torchaudio.models.wav2vec2.utils.import_fairseq import _convert_state_dict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checkpoint_common import OUT, inputs, perturb, save_refs, write_manifest  # noqa: E402

CONV = [[16, 10, 5]] + [[16, 3, 2]] * 4 + [[16, 2, 2]] * 2
CONV_STR = '[(16, 10, 5)] + [(16, 3, 2)] * 4 + [(16, 2, 2)] * 2'


def ta_config(pre_ln):
    return {
        'extractor_mode': 'layer_norm' if pre_ln else 'group_norm', 'extractor_conv_layer_config': CONV,
        'extractor_conv_bias': pre_ln, 'encoder_embed_dim': 32, 'encoder_projection_dropout': 0.1,
        'encoder_pos_conv_kernel': 8 if not pre_ln else 5, 'encoder_pos_conv_groups': 4, 'encoder_num_layers': 2,
        'encoder_num_heads': 2, 'encoder_attention_dropout': 0.1, 'encoder_ff_interm_features': 64,
        'encoder_ff_interm_dropout': 0.0, 'encoder_dropout': 0.1, 'encoder_layer_norm_first': pre_ln,
        'encoder_layer_drop': 0.05}


@torch.no_grad()
def references(model, folder):
    model.eval()
    for clip, wav in inputs().items():
        x = torch.from_numpy(wav)[None]
        feats, _ = model.feature_extractor(x, None)
        proj = model.encoder.feature_projection(feats)
        enc_in = model.encoder.transformer._preprocess(proj)
        layers = model.extract_features(x)[0]
        save_refs(folder, clip, np.stack([enc_in[0].numpy()] + [h[0].numpy() for h in layers]), projection=proj[0].numpy())


def pos_conv_weight(model):
    c = model.encoder.transformer.pos_conv_embed.conv
    return torch._weight_norm(c.weight_v, c.weight_g, 2).detach().clone()


def fresh(name):
    d = os.path.join(OUT, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.join(d, 'ref'))
    return d


def make_torchaudio(name, seed, pre_ln, aux=None):
    cfg = ta_config(pre_ln)
    torch.manual_seed(seed)
    model = wav2vec2_model(**cfg, aux_num_out=aux)
    perturb(model, seed)
    d = fresh(name)
    references(model, d)
    np.save(os.path.join(d, 'ref', 'pos_conv_weight.npy'), pos_conv_weight(model).numpy())
    sd = model.state_dict()
    torch.save(sd, os.path.join(d, name + '.torchaudio.pt'))
    with open(os.path.join(d, name + '.torchaudio.model_config.json'), 'w') as f:
        json.dump(cfg, f, indent=2)
    write_manifest(os.path.join(d, 'manifest.json'), torch.load(os.path.join(d, name + '.torchaudio.pt')), {
        'made_by': 'torch %s / torchaudio %s: torch.save(wav2vec2_model(**config, aux_num_out=%s).state_dict())'
        % (torch.__version__, torchaudio.__version__, aux),
        'encoder_parameters': sum(p.numel() for n, p in model.named_parameters() if not n.startswith('aux.'))})
    return model, sd


# ---- fairseq's names: the inverse of torchaudio.models.wav2vec2.utils.import_fairseq._map_key ---------------
TO_FAIRSEQ = [
    (r'feature_extractor\.conv_layers\.(\d+)\.conv\.(weight|bias)', r'feature_extractor.conv_layers.\1.0.\2'),
    (r'encoder\.feature_projection\.projection\.(weight|bias)', r'post_extract_proj.\1'),
    (r'encoder\.feature_projection\.layer_norm\.(weight|bias)', r'layer_norm.\1'),
    (r'encoder\.transformer\.pos_conv_embed\.conv\.(bias|weight_g|weight_v)', r'encoder.pos_conv.0.\1'),
    (r'encoder\.transformer\.layer_norm\.(weight|bias)', r'encoder.layer_norm.\1'),
    (r'encoder\.transformer\.layers\.(\d+)\.attention\.(\w+_proj)\.(weight|bias)', r'encoder.layers.\1.self_attn.\2.\3'),
    (r'encoder\.transformer\.layers\.(\d+)\.layer_norm\.(weight|bias)', r'encoder.layers.\1.self_attn_layer_norm.\2'),
    (r'encoder\.transformer\.layers\.(\d+)\.feed_forward\.intermediate_dense\.(weight|bias)', r'encoder.layers.\1.fc1.\2'),
    (r'encoder\.transformer\.layers\.(\d+)\.feed_forward\.output_dense\.(weight|bias)', r'encoder.layers.\1.fc2.\2'),
    (r'encoder\.transformer\.layers\.(\d+)\.final_layer_norm\.(weight|bias)', r'encoder.layers.\1.final_layer_norm.\2'),
    (r'aux\.(weight|bias)', r'proj.\1'),
]


def fairseq_names(sd, pre_ln):
    out = {}
    for k, v in sd.items():
        m = re.match(r'feature_extractor\.conv_layers\.(\d+)\.layer_norm\.(weight|bias)$', k)
        if m:  # group norm (first layer only) is module 2 of the Sequential; a layer norm is 2.1
            out['feature_extractor.conv_layers.%s.2%s.%s' % (m.group(1), '.1' if pre_ln else '', m.group(2))] = v
            continue
        for pat, rep in TO_FAIRSEQ:
            if re.match(pat + '$', k):
                out[re.sub(pat, rep, k)] = v
                break
        else:
            raise KeyError(k)
    back = _convert_state_dict({('w2v_model.' + k if not k.startswith('proj.') else k): v for k, v in out.items()})
    assert set(back) == set(sd) and all(back[k] is sd[k] for k in sd), 'fairseq names do not map back'
    return out


# ---- a stand-in for fairseq's structured config (fairseq itself is not installed here) ---------------------
class ExtractorMode(str, enum.Enum):
    """Like fairseq's ChoiceEnum (a StrEnum whose member names are their values)."""
    default = 'default'
    layer_norm = 'layer_norm'


def stand_in_module(name, **attrs):
    mod = types.ModuleType(name)
    for k, v in attrs.items():
        setattr(mod, k, v)
        v.__module__ = name
        v.__qualname__ = k
    sys.modules[name] = mod
    parts = name.split('.')
    for i in range(1, len(parts)):
        sys.modules.setdefault('.'.join(parts[:i]), types.ModuleType('.'.join(parts[:i])))


@dataclasses.dataclass
class HubertConfig:
    _name: str = 'hubert'
    label_rate: float = 50.0
    extractor_mode: ExtractorMode = ExtractorMode.default
    encoder_layers: int = 2
    encoder_embed_dim: int = 32
    encoder_ffn_embed_dim: int = 64
    encoder_attention_heads: int = 2
    activation_fn: str = 'gelu'
    layer_type: str = 'transformer'
    dropout: float = 0.1
    attention_dropout: float = 0.1
    activation_dropout: float = 0.0
    encoder_layerdrop: float = 0.05
    dropout_input: float = 0.1
    dropout_features: float = 0.1
    final_dim: int = 8
    untie_final_proj: bool = False
    layer_norm_first: bool = False
    conv_feature_layers: str = CONV_STR
    conv_bias: bool = False
    logit_temp: float = 0.1
    target_glu: bool = False
    feature_grad_mult: float = 0.1
    mask_length: int = 10
    mask_prob: float = 0.8
    conv_pos: int = 8
    conv_pos_groups: int = 4
    latent_temp: typing.Tuple[float, float, float] = (2.0, 0.5, 0.999995)
    skip_masked: bool = False
    skip_nomask: bool = False


stand_in_module('fairseq.models.hubert.hubert', HubertConfig=HubertConfig)
stand_in_module('fairseq.dataclass.constants', ExtractorMode=ExtractorMode)


def trainer_state(model_sd, pre_ln):
    """What fairseq's Trainer.state_dict() adds around the model: optimizer state with tensors, numpy
    scalars and metrics (the parts a reader must get through without executing anything)."""
    first = next(iter(model_sd.values()))
    return {
        'criterion': None,
        'optimizer_history': [{'criterion_name': 'HubertCriterion', 'optimizer_name': 'FairseqAdam',
                               'lr_scheduler_state': {'best': np.float64(3.25)}, 'num_updates': 400000}],
        'task_state': {},
        'extra_state': {'metrics': {'train': [(0, 'loss', 'AverageMeter', {'val': 2.5, 'sum': np.float32(10.0), 'count': 4})]},
                        'previous_training_time': 1234.5, 'train_iterator': {'epoch': 3, 'iterations_in_epoch': 0}},
        'last_optimizer_state': {'state': {0: {'step': 7, 'exp_avg': torch.zeros_like(first), 'exp_avg_sq': torch.ones_like(first)}},
                                 'param_groups': [{'lr': [0.0005], 'betas': (0.9, 0.98), 'params': [0]}]},
    }


def fairseq_hubert_dictconfig(ta_sd):
    """HuBERT pre-training checkpoint, cfg as an omegaconf DictConfig (structured model node)."""
    d = fresh('fairseq_hubert_dictcfg')
    g = torch.Generator().manual_seed(21)
    sd = fairseq_names(ta_sd, False)
    sd.update({'mask_emb': torch.rand(32, generator=g), 'final_proj.weight': torch.randn(8, 32, generator=g),
               'final_proj.bias': torch.randn(8, generator=g), 'label_embs_concat': torch.randn(5, 8, generator=g)})
    cfg = OmegaConf.create({
        '_name': None,
        'common': {'fp16': True, 'log_interval': 200, 'seed': 1337},
        'task': {'_name': 'hubert_pretraining', 'data': '/checkpoint/data', 'labels': ['km'], 'sample_rate': 16000,
                 'normalize': False, 'max_sample_size': 250000},
        'model': OmegaConf.structured(HubertConfig()),
        'optimization': {'max_update': 400000, 'lr': [0.0005], 'update_freq': [1]},
    })
    state = {'args': None, 'cfg': cfg, 'model': sd}
    state.update(trainer_state(sd, False))
    path = os.path.join(d, 'hubert_tiny.pt')
    torch.save(state, path)
    write_manifest(os.path.join(d, 'manifest.json'), torch.load(path)['model'], {
        'made_by': 'torch %s torch.save of a fairseq-style HuBERT checkpoint (omegaconf %s DictConfig cfg)' % (torch.__version__, omegaconf.__version__)})
    return d


def fairseq_wav2vec2_args(ta_sd):
    """wav2vec 2.0 pre-training checkpoint as released in 2020: `args` is an argparse.Namespace, no cfg."""
    d = fresh('fairseq_wav2vec2_args')
    g = torch.Generator().manual_seed(22)
    sd = fairseq_names(ta_sd, False)
    sd.update({'mask_emb': torch.rand(32, generator=g), 'quantizer.vars': torch.randn(1, 8, 4, generator=g),
               'quantizer.weight_proj.weight': torch.randn(8, 16, generator=g), 'quantizer.weight_proj.bias': torch.randn(8, generator=g),
               'project_q.weight': torch.randn(8, 4, generator=g), 'project_q.bias': torch.randn(8, generator=g),
               'final_proj.weight': torch.randn(8, 32, generator=g), 'final_proj.bias': torch.randn(8, generator=g)})
    args = argparse.Namespace(arch='wav2vec2', task='audio_pretraining', criterion='wav2vec', extractor_mode='default',
                              encoder_layers=2, encoder_embed_dim=32, encoder_ffn_embed_dim=64, encoder_attention_heads=2,
                              activation_fn='gelu', conv_feature_layers=CONV_STR, conv_pos=8, conv_pos_groups=4,
                              layer_norm_first=False, conv_bias=False, latent_vars=4, latent_groups=2, final_dim=8,
                              lr=[0.0005], max_update=400000, data='/data/librispeech', log_keys=['prob_perplexity'])
    state = {'args': args, 'model': sd}
    state.update(trainer_state(sd, False))
    path = os.path.join(d, 'wav2vec2_tiny.pt')
    torch.save(state, path)
    write_manifest(os.path.join(d, 'manifest.json'), torch.load(path)['model'], {
        'made_by': 'torch %s torch.save of a fairseq-style wav2vec 2.0 checkpoint (argparse.Namespace args)' % torch.__version__})
    return d


def fairseq_ctc_plain(ta_sd):
    """wav2vec 2.0 CTC fine-tune (large, pre-LN), cfg a plain dict (fairseq since 2021): the encoder's
    weights under w2v_encoder.w2v_model.*, the CTC projection w2v_encoder.proj, arch in cfg.model.w2v_args."""
    d = fresh('fairseq_w2v_ctc_plaincfg')
    sd = {('w2v_encoder.' + k if k.startswith('proj.') else 'w2v_encoder.w2v_model.' + k): v for k, v in fairseq_names(ta_sd, True).items()}
    sd['w2v_encoder.w2v_model.mask_emb'] = torch.rand(32, generator=torch.Generator().manual_seed(23))
    w2v_args = {'_name': None, 'task': {'_name': 'audio_pretraining', 'normalize': True},
                'model': {'_name': 'wav2vec2', 'extractor_mode': 'layer_norm', 'encoder_layers': 2, 'encoder_embed_dim': 32,
                          'encoder_ffn_embed_dim': 64, 'encoder_attention_heads': 2, 'activation_fn': 'gelu',
                          'layer_type': 'transformer', 'layer_norm_first': True, 'conv_feature_layers': CONV_STR,
                          'conv_bias': True, 'conv_pos': 5, 'conv_pos_groups': 4, 'final_dim': 8}}
    cfg = {'_name': None, 'task': {'_name': 'audio_finetuning', 'normalize': True, 'labels': 'ltr'},
           'model': {'_name': 'wav2vec_ctc', 'w2v_path': '/checkpoint/wav2vec2_large.pt', 'apply_mask': True,
                     'mask_prob': 0.5, 'w2v_args': w2v_args}}
    state = {'args': None, 'cfg': cfg, 'model': sd}
    state.update(trainer_state(sd, True))
    path = os.path.join(d, 'w2v_ctc_tiny.pt')
    torch.save(state, path)
    write_manifest(os.path.join(d, 'manifest.json'), torch.load(path)['model'], {
        'made_by': 'torch %s torch.save of a fairseq-style wav2vec 2.0 CTC fine-tune (plain dict cfg)' % torch.__version__})
    return d


# ---- pickles that must be refused -----------------------------------------------------------------------
class Shell:
    def __reduce__(self):
        return (os.system, ('echo pwned',))


class Eval:
    def __reduce__(self):
        return (eval, ("__import__('os').system('echo pwned')",))


class Custom:
    def __init__(self):
        self.x = 1


stand_in_module('mylib.models', Custom=Custom)


def refused(ta_sd):
    d = os.path.join(OUT, 'refuse')
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    w = torch.ones(2)
    torch.save({'weight': w, 'evil': Shell()}, os.path.join(d, 'os_system.pt'))
    torch.save({'weight': w, 'evil': Eval()}, os.path.join(d, 'builtins_eval.pt'))
    torch.save(torch.nn.Linear(2, 2), os.path.join(d, 'whole_module.pt'))
    torch.save({'args': None, 'cfg': {'model': {'_name': 'hubert', 'hook': Shell()}}, 'model': {'w': w}},
               os.path.join(d, 'code_in_config.pt'))
    torch.save({'args': None, 'cfg': {'model': {'_name': 'hubert', 'extra': Custom()}}, 'model': {'w': w, 'x': Custom()}},
               os.path.join(d, 'class_in_model.pt'))
    torch.save({'args': None, 'cfg': {'model': {'_name': 'hubert', 'extra': Custom()}}, 'model': {'w': w}},
               os.path.join(d, 'class_in_config.pt'))
    torch.save({'weight': w}, os.path.join(d, 'legacy.pt'), _use_new_zipfile_serialization=False)


def full():
    """Full-size random-init torchaudio hubert_base() (AVES-base architecture) as an AVES-style pair, and the same
    weights as a fairseq-style checkpoint with an omegaconf DictConfig."""
    root = os.path.join(OUT, '..', '..', '..', '.cache', 'checkpoints')
    cfg = {'extractor_mode': 'group_norm', 'extractor_conv_layer_config': [[512, 10, 5]] + [[512, 3, 2]] * 4 + [[512, 2, 2]] * 2,
           'extractor_conv_bias': False, 'encoder_embed_dim': 768, 'encoder_projection_dropout': 0.1, 'encoder_pos_conv_kernel': 128,
           'encoder_pos_conv_groups': 16, 'encoder_num_layers': 12, 'encoder_num_heads': 12, 'encoder_attention_dropout': 0.1,
           'encoder_ff_interm_features': 3072, 'encoder_ff_interm_dropout': 0.0, 'encoder_dropout': 0.1,
           'encoder_layer_norm_first': False, 'encoder_layer_drop': 0.05}
    torch.manual_seed(0)
    sd = wav2vec2_model(**cfg, aux_num_out=None).state_dict()
    d = os.path.join(root, 'ta_hubert_base_full')
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    torch.save(sd, os.path.join(d, 'hubert_base.torchaudio.pt'))
    with open(os.path.join(d, 'hubert_base.torchaudio.model_config.json'), 'w') as f:
        json.dump(cfg, f, indent=2)
    write_manifest(os.path.join(d, 'manifest.json'), sd, {'encoder_parameters': sum(v.numel() for v in sd.values())})
    f = os.path.join(root, 'fairseq_hubert_base_full')
    shutil.rmtree(f, ignore_errors=True)
    os.makedirs(f)
    fs = fairseq_names(sd, False)
    model = OmegaConf.structured(HubertConfig(encoder_layers=12, encoder_embed_dim=768, encoder_ffn_embed_dim=3072,
                                              encoder_attention_heads=12, conv_pos=128, conv_pos_groups=16, final_dim=256,
                                              conv_feature_layers='[(512,10,5)] + [(512,3,2)] * 4 + [(512,2,2)] * 2'))
    torch.save({'args': None, 'cfg': OmegaConf.create({'model': model}), 'model': fs}, os.path.join(f, 'hubert_base.pt'))
    write_manifest(os.path.join(f, 'manifest.json'), fs, {'encoder_parameters': sum(v.numel() for v in fs.values())})


def main():
    if '--full' in sys.argv:
        full()
    os.makedirs(OUT, exist_ok=True)
    _, post_sd = make_torchaudio('ta_hubert_tiny', 31, False)
    _, pre_sd = make_torchaudio('ta_w2v2_large_ctc_tiny', 32, True, aux=5)
    for name in (fairseq_hubert_dictconfig(post_sd), fairseq_wav2vec2_args(post_sd)):
        shutil.copytree(os.path.join(OUT, 'ta_hubert_tiny', 'ref'), os.path.join(name, 'ref'), dirs_exist_ok=True)
    shutil.copytree(os.path.join(OUT, 'ta_w2v2_large_ctc_tiny', 'ref'), os.path.join(fairseq_ctc_plain(pre_sd), 'ref'), dirs_exist_ok=True)
    refused(post_sd)


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""
Whole-pipeline parity (issue #11): real recordings at their own rates -> pooled features, computed the way
the paper's code computes them (transformers + librosa), against `bioprobe extract` on the same files and
the same weights saved as ONNX. A check run by hand; never at test time. tools/pipeline_parity.sh runs
every case end to end; its numbers are in docs/DEVIATIONS.md and docs/EXTRACTION.md "Whole-pipeline parity".

Steps (each its own process: the reference is never computed in a process that ran torch.onnx.export):
  /usr/bin/python3 tools/pipeline_parity.py tiny-weights --out W/hf_tiny.npz
      hf_tiny's weights (test/fixtures/models/hf_tiny.onnx) rebuilt from their source, tools/export_models.py
      (Debian torch 1.13, the seeds and init order it used), as a state dict.
  /work/venv/bin/python tools/pipeline_parity.py model --kind hf-tiny --weights W/hf_tiny.npz --out W/hf_tiny
      a transformers 5.18 Wav2Vec2Model holding those weights (checked against the fixture's committed
      per-layer references first), and hf_tiny.onnx itself as the ONNX file bioprobe takes.
  /work/venv/bin/python tools/pipeline_parity.py model --kind hubert-base --out W/hubert_base
      a full-size random-init transformers HubertModel (HubertConfig() = hubert-base-ls960's shape, seed 0,
      LayerNorm/GroupNorm affine randomised as the fixtures), saved (state dict), then exported as
      LastHidden (docs/MODELS.md: opset 17, dynamic time axis). Nothing else is computed in that process.
  /work/venv/bin/python tools/pipeline_parity.py reference --model W/hf_tiny --csv X.csv --out R [--chunk N]
      the paper's extraction (src/extract_hubert.py): per row librosa.load(path, sr=16000, mono=True
      [, offset=start, duration=end - start]), signal /= max|signal|, manual_repeat_pad to max(5000, len),
      model(x, output_hidden_states=True), torch.stack(hidden_states); with --chunk N its Watkins path
      (get_features: full chunks of N samples, then the rest, hidden states concatenated over time);
      compute_functionals: per layer torch.cat([mean, std]) over frames (torch.std: unbiased).
      -> R/features.npy [rows, layers, 2D] float32, R/index.json (per row: samples, frames, error).
  node bin/bioprobe.js extract --model W/hf_tiny/model.onnx --dataset csv:X.csv --out F [--max-chunk N]
  /work/venv/bin/python tools/pipeline_parity.py compare --ref R --features F [--json out.json]
      per layer, over the rows both computed: elementwise relative error |a - b| / max(|b|, 0.01 x the
      layer's RMS) (max and median over rows and columns) and row relative error ||a - b|| / ||b|| (max and
      median over rows), a = bioprobe, b = the reference. Exit 1 when any exceeds --target (1e-3).
Helpers:
  /work/venv/bin/python tools/pipeline_parity.py csv --out X.csv ../shared/data/animal-sounds/labels.csv ...
      one CSV of whole files from labels CSVs (paths relative to X.csv's folder, which must hold them); --subset N takes N rows spanning every
      (rate, channels, codec) group; --segments N writes N random [start, end] segments instead, times
      with 6-9 decimals as IMV's labels, ends within what librosa reads (a few up to 0.04 s past it).
  /usr/bin/python3 tools/pipeline_parity.py pandas --csv X.csv
      how many start/end cells pandas' read_csv (Debian's pandas 1.5.3; the paper's code reads IMV's labels
      with pandas) parses to another float64 than Python's float() (correctly rounded, as JavaScript's Number);
      --random N: the same over N random IMV-like times (0-600 s, 3 to 9 decimals).
"""
import argparse
import csv as csvlib
import json
import os
import shutil
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FIXTURES = os.path.join(ROOT, 'test', 'fixtures', 'models')
MIN_LEN = 5000  # the paper's min_len (configs/experiment/extract_*/*.yaml)
FLOOR = 0.01  # elementwise errors are relative to max(|b|, FLOOR x the layer's RMS): see cmd_compare


# ---- hf_tiny's weights from their source (Debian torch) -------------------------------------------------
def cmd_tiny_weights(args):
    import torch
    import torchaudio
    sys.path.insert(0, HERE)
    import export_models as em  # the fixture maker: the same seeds and init order as it used
    torch.manual_seed(0)
    hubert = torchaudio.models.wav2vec2_model(**em.tiny_config(64, 4, 128)).eval()
    torch.manual_seed(1)
    w2v2 = torchaudio.models.wav2vec2_model(**em.tiny_config(96, 3, 192, aux=32)).eval()
    torch.manual_seed(2)
    hf = em.HFWav2Vec2(em.SMALL_CONV, 80, 3, 4, 160).eval()
    with torch.no_grad():
        for m in (hubert, w2v2, hf):
            em.randomise_norms(m)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    np.savez(args.out, **{k: v.detach().numpy() for k, v in hf.state_dict().items()})
    print(f'hf_tiny state dict ({len(hf.state_dict())} tensors) -> {args.out}')


# ---- transformers models ---------------------------------------------------------------------------------
NO_DROPOUT = dict(hidden_dropout=0.0, attention_dropout=0.0, activation_dropout=0.0, feat_proj_dropout=0.0,
                  final_dropout=0.0, layerdrop=0.0, apply_spec_augment=False, mask_time_prob=0.0)


def tiny_config():
    from transformers import Wav2Vec2Config
    return Wav2Vec2Config(conv_dim=[32] * 7, conv_kernel=[10, 3, 3, 3, 3, 2, 2], conv_stride=[5, 2, 2, 2, 2, 2, 2],
                          conv_bias=False, feat_extract_norm='group', hidden_size=80, num_hidden_layers=3,
                          num_attention_heads=4, intermediate_size=160, num_conv_pos_embeddings=16,
                          num_conv_pos_embedding_groups=4, layer_norm_eps=1e-5, do_stable_layer_norm=False,
                          hidden_act='gelu', feat_extract_activation='gelu', **NO_DROPOUT)


def build(kind, config=None):
    from transformers import HubertConfig, HubertModel, Wav2Vec2Config, Wav2Vec2Model, WavLMConfig, WavLMModel
    if kind == 'hf-tiny':
        return Wav2Vec2Model(tiny_config() if config is None else Wav2Vec2Config(**config))
    cls, cfg = {'hubert-base': (HubertModel, HubertConfig), 'w2v2-base': (Wav2Vec2Model, Wav2Vec2Config),
                'wavlm-base': (WavLMModel, WavLMConfig)}[kind]
    return cls(cfg(**NO_DROPOUT) if config is None else cfg(**config))


def load_tiny_weights(model, npz):
    import torch
    sd = {}
    for k, v in np.load(npz).items():
        k = k.replace('pos_conv_embed.conv.weight_g', 'pos_conv_embed.conv.parametrizations.weight.original0')
        k = k.replace('pos_conv_embed.conv.weight_v', 'pos_conv_embed.conv.parametrizations.weight.original1')
        sd[k] = torch.from_numpy(v)
    missing, unexpected = model.load_state_dict(sd, strict=False)
    assert not unexpected and set(missing) <= {'masked_spec_embed'}, (missing, unexpected)


def hidden_states(model, x):
    import torch
    with torch.no_grad():
        return torch.stack(model(x, output_hidden_states=True).hidden_states, dim=1)


def check_tiny(model):
    """transformers with the rebuilt weights = the fixture's committed references (the weights are hf_tiny.onnx's)."""
    import torch
    worst = 0.0
    for clip in ('chirp', 'am_tone', 'calls'):
        x = torch.from_numpy(np.load(os.path.join(FIXTURES, f'clip_{clip}.npy')))[None]
        ref = np.load(os.path.join(FIXTURES, f'hf_tiny.{clip}.layers.npy'))
        worst = max(worst, float(np.abs(hidden_states(model, x)[0].numpy() - ref).max()))
    if worst > 1e-4:
        sys.exit(f'transformers with the rebuilt weights differs from hf_tiny\'s references by {worst:g}')
    return worst


def cmd_model(args):
    import torch
    os.makedirs(args.out, exist_ok=True)
    meta = {'kind': args.kind}
    if args.kind == 'hf-tiny':
        model = build('hf-tiny').eval()
        load_tiny_weights(model, args.weights)
        meta['check_vs_fixture_max_abs'] = check_tiny(model)
        shutil.copyfile(os.path.join(FIXTURES, 'hf_tiny.onnx'), os.path.join(args.out, 'model.onnx'))
        meta['onnx'] = 'test/fixtures/models/hf_tiny.onnx (tools/export_models.py, Debian torch 1.13)'
    else:
        torch.manual_seed(args.seed)
        model = build(args.kind).eval()
        with torch.no_grad():  # as the fixtures: identical LayerNorm initializers would be merged by the exporter
            for mod in model.modules():
                if isinstance(mod, (torch.nn.LayerNorm, torch.nn.GroupNorm)) and mod.weight is not None:
                    mod.weight.uniform_(0.5, 1.5)
                    mod.bias.uniform_(-0.2, 0.2)
        torch.save(model.state_dict(), os.path.join(args.out, 'model.pt'))

        class Wrap(torch.nn.Module):  # a single-output export, like the public ones (docs/MODELS.md)
            def __init__(self, m):
                super().__init__()
                self.m = m

            def forward(self, x):
                return self.m(x).last_hidden_state

        torch.onnx.export(Wrap(model).eval(), (torch.zeros(1, 16000),), os.path.join(args.out, 'model.onnx'),
                          opset_version=17, input_names=['input_values'], output_names=['last_hidden_state'],
                          dynamic_axes={'input_values': {0: 'batch', 1: 'samples'},
                                        'last_hidden_state': {0: 'batch', 1: 'frames'}}, dynamo=False)
        meta['onnx'] = f'torch {torch.__version__} torch.onnx.export (TorchScript exporter), opset 17'
        meta['seed'] = args.seed
    import transformers
    meta.update(config=model.config.to_diff_dict(), transformers=transformers.__version__, torch=torch.__version__,
                cls=type(model).__name__)
    with open(os.path.join(args.out, 'model.json'), 'w') as f:
        json.dump(meta, f, indent=1)
    print(f'{args.kind} -> {args.out}/model.onnx ({meta["onnx"]})')


def load_model(folder, weights=None):
    import torch
    meta = json.load(open(os.path.join(folder, 'model.json')))
    model = build(meta['kind'], meta['config']).eval()
    if meta['kind'] == 'hf-tiny':
        load_tiny_weights(model, weights)
        check_tiny(model)
    else:
        model.load_state_dict(torch.load(os.path.join(folder, 'model.pt')))
    return model.eval(), meta


# ---- the paper's extraction ------------------------------------------------------------------------------
def read_rows(path):
    root = os.path.dirname(os.path.abspath(path))
    with open(path, newline='', encoding='utf8') as f:
        rows = list(csvlib.DictReader(f))
    out = []
    for r in rows:
        p = r['path'] if os.path.isabs(r['path']) else os.path.join(root, r['path'])
        seg = (float(r['start']), float(r['end'])) if r.get('start') not in (None, '') else None
        out.append((p, r['label'], seg))
    return out


def manual_repeat_pad(wav, max_length):
    """src/utils/loader.py manual_repeat_pad, as the paper's collate calls it."""
    import torch
    current_length = wav.shape[0]
    if current_length >= max_length:
        return wav
    repeats = max_length // current_length
    extra = max_length % current_length
    return torch.cat([wav.repeat(repeats), wav[:extra]])


def features_of(model, x, chunk):
    """get_features (Watkins, chunk = max_len) or get_features_original (the others), batch of one."""
    import torch
    with torch.no_grad():
        if not chunk or x.shape[-1] < chunk:
            return torch.stack(model(x, output_hidden_states=True).hidden_states, dim=1)
        parts = []
        for j in range(x.shape[-1] // chunk):
            parts.append(torch.stack(model(x[:, j * chunk:(j + 1) * chunk], output_hidden_states=True).hidden_states, dim=1))
        if x.shape[-1] % chunk != 0:
            last = x[:, (x.shape[-1] // chunk) * chunk:]
            parts.append(torch.stack(model(last, output_hidden_states=True, output_attentions=True).hidden_states, dim=1))
        return torch.cat(parts, dim=2)


def compute_functionals(embed):
    """src/extract_*.py compute_functionals for one clip: [layers, 2D]."""
    import torch
    rows = []
    for i in range(embed.shape[0]):
        rows.append(torch.cat([torch.mean(embed[i], dim=0), torch.std(embed[i], dim=0)]).numpy())
    return np.vstack(rows)


def cmd_reference(args):
    import librosa
    import torch
    import warnings
    torch.set_num_threads(args.threads)
    model, meta = load_model(args.model, args.weights)
    rows = read_rows(args.csv)
    os.makedirs(args.out, exist_ok=True)
    feats, index = None, []
    for i, (path, label, seg) in enumerate(rows):
        entry = {'i': i, 'path': path, 'label': label}
        if seg:
            entry.update(start=seg[0], end=seg[1])
        try:
            with warnings.catch_warnings():
                warnings.simplefilter('ignore')
                if seg:
                    signal, _ = librosa.load(path, sr=16000, mono=True, offset=seg[0], duration=seg[1] - seg[0])
                else:
                    signal, _ = librosa.load(path, sr=16000, mono=True)
            entry['samples'] = len(signal)
            peak = np.max(np.abs(signal))
            if not peak > 0:
                raise ValueError('silent clip (the paper divides by a zero peak: NaN features)')
            signal /= peak
            wav = manual_repeat_pad(torch.FloatTensor(signal), max(MIN_LEN, len(signal)))
            hs = features_of(model, wav[None], args.chunk)[0]
            entry['frames'] = int(hs.shape[1])
            row = compute_functionals(hs)
            if feats is None:
                feats = np.zeros((len(rows),) + row.shape, dtype=np.float32)
            feats[i] = row
        except Exception as e:  # noqa: BLE001 - recorded, the run goes on
            entry['error'] = f'{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ""}'
        index.append(entry)
        if (i + 1) % 100 == 0:
            print(f'{i + 1}/{len(rows)}', file=sys.stderr)
    np.save(os.path.join(args.out, 'features.npy'), feats)
    import soundfile as sf
    import transformers
    with open(os.path.join(args.out, 'index.json'), 'w') as f:
        json.dump({'csv': os.path.abspath(args.csv), 'model': meta['kind'], 'chunk': args.chunk,
                   'versions': {'librosa': librosa.__version__, 'soundfile': sf.__version__,
                                'libsndfile': sf.__libsndfile_version__, 'transformers': transformers.__version__,
                                'torch': torch.__version__},
                   'rows': index}, f, indent=0)
    print(f'{len(rows)} rows, {sum("error" in e for e in index)} failed -> {args.out}', file=sys.stderr)


# ---- comparison ------------------------------------------------------------------------------------------
def cmd_compare(args):
    """Per layer l, a = bioprobe's row, b = the reference's (float64 of the stored float32):
    elementwise |a - b| / max(|b|, 0.01 x rms_l), rms_l the root mean square of the reference's layer-l
    features (a mean over frames near 0 is a cancellation of O(1) terms, judged on the layer's scale rather
    than its own; the same with a bare 1e-3 floor is kept in the JSON), and per row ||a - b|| / ||b||."""
    ref = np.load(os.path.join(args.ref, 'features.npy'))
    index = json.load(open(os.path.join(args.ref, 'index.json')))
    with open(os.path.join(args.features, 'clips.csv'), newline='', encoding='utf8') as f:
        clips = list(csvlib.DictReader(f))
    assert len(clips) == ref.shape[0], (len(clips), ref.shape)
    ok_ref = np.array(['error' not in e for e in index['rows']])
    ok_bp = np.array([c['status'] == 'ok' for c in clips])
    both = ok_ref & ok_bp
    layers = ref.shape[1]
    table = []
    for l in range(layers):
        a = np.load(os.path.join(args.features, f'layer_{l:02d}.npy')).astype(np.float64)[both]
        b = ref[both, l].astype(np.float64)
        rms = float(np.sqrt(np.mean(b * b)))
        elem = np.abs(a - b) / np.maximum(np.abs(b), FLOOR * rms)
        bare = np.abs(a - b) / np.maximum(np.abs(b), 1e-3)
        row = np.linalg.norm(a - b, axis=1) / np.linalg.norm(b, axis=1)
        table.append({'layer': l, 'elem_max': float(elem.max()), 'elem_median': float(np.median(elem)),
                      'row_max': float(row.max()), 'row_median': float(np.median(row)),
                      'abs_max': float(np.abs(a - b).max()), 'rms': rms, 'elem_max_floor_1e-3_absolute': float(bare.max()),
                      'worst_row': clips[int(np.flatnonzero(both)[row.argmax()])]['path']})
    only_ref = [(clips[i]['path'], clips[i]['status']) for i in np.flatnonzero(ok_ref & ~ok_bp)]
    only_bp = [(index['rows'][i]['path'], index['rows'][i]['error']) for i in np.flatnonzero(ok_bp & ~ok_ref)]
    neither = int((~ok_ref & ~ok_bp).sum())
    worst = max(max(t['elem_max'], t['row_max']) for t in table)
    print(f'{args.ref} vs {args.features}: {int(both.sum())} rows compared, {len(only_ref)} failed only in bioprobe,'
          f' {len(only_bp)} only in the reference, {neither} in both')
    print('| layer | elementwise max | elementwise median | row max | row median | max abs | layer RMS |')
    print('|---|---|---|---|---|---|---|')
    for t in table:
        print(f'| {t["layer"]} | {t["elem_max"]:.2e} | {t["elem_median"]:.2e} | {t["row_max"]:.2e} | {t["row_median"]:.2e}'
              f' | {t["abs_max"]:.2e} | {t["rms"]:.3f} |')
    if args.by_group:  # the worst row error over all layers, per source rate / channels / codec
        import soundfile as sf
        root = os.path.dirname(index['csv'])
        groups = {}
        worst_row = np.zeros(len(clips))
        for l in range(layers):
            a = np.load(os.path.join(args.features, f'layer_{l:02d}.npy')).astype(np.float64)
            b = ref[:, l].astype(np.float64)
            nb = np.linalg.norm(b, axis=1)
            worst_row = np.maximum(worst_row, np.linalg.norm(a - b, axis=1) / np.where(nb > 0, nb, 1))
        for i in np.flatnonzero(both):
            info = sf.info(os.path.join(root, index['rows'][i]['path']) if not os.path.isabs(index['rows'][i]['path']) else index['rows'][i]['path'])
            groups.setdefault((info.samplerate, info.channels, info.subtype), []).append(worst_row[i])
        print('| source | rows | worst row error over layers |')
        print('|---|---|---|')
        for k in sorted(groups, key=lambda k: (k[0], k[1], k[2])):
            print(f'| {k[0]} Hz, {k[1]} ch, {k[2]} | {len(groups[k])} | {max(groups[k]):.2e} |')
    for p, s in only_ref[:20]:
        print(f'  bioprobe skipped {p}: {s}')
    for p, s in only_bp[:20]:
        print(f'  reference failed {p}: {s}')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump({'ref': args.ref, 'features': args.features, 'compared': int(both.sum()), 'layers': table,
                       'only_bioprobe_failed': only_ref, 'only_reference_failed': only_bp, 'both_failed': neither}, f, indent=1)
    if worst > args.target or only_ref or only_bp:
        print(f'FAIL: worst relative error {worst:.2e} (target {args.target:g}) or rows failing on one side only')
        sys.exit(1)
    print(f'ok: every layer within {args.target:g} (worst {worst:.2e})')


# ---- inputs ----------------------------------------------------------------------------------------------
def describe(path):
    import soundfile as sf
    info = sf.info(path)
    return info.samplerate, info.channels, info.subtype


def rel(path, csv):
    """A path relative to the CSV's folder, as `csv:` datasets take them (the recordings must lie below it:
    pipeline_parity.sh links ../shared/data into its work folder)."""
    r = os.path.relpath(path, os.path.dirname(os.path.abspath(csv)))
    if r.startswith('..'):
        sys.exit(f'{path} is not below the folder of {csv}: link the data folder there')
    return r


def cmd_csv(args):
    import librosa
    rows = []
    for labels in args.labels:
        rows += [(p, l) for p, l, _ in read_rows(labels)]
    rng = np.random.RandomState(args.seed)
    if args.subset:
        groups = {}
        for p, l in rows:
            groups.setdefault(describe(p), []).append((p, l))
        keys = sorted(groups, key=str)
        picked, k = [], 0
        while len(picked) < min(args.subset, len(rows)):  # round robin over the groups, random within each
            g = groups[keys[k % len(keys)]]
            if g:
                picked.append(g.pop(rng.randint(len(g))))
            k += 1
        rows = sorted(picked)
        print('groups: ' + ', '.join(f'{k[0]} Hz {k[1]} ch {k[2]}' for k in keys), file=sys.stderr)
    if args.segments:
        segs = []
        order = rng.permutation(len(rows))
        for j in range(args.segments):
            p, l = rows[order[j % len(rows)]]
            rate = describe(p)[0]
            n = len(librosa.load(p, sr=None)[0])  # what librosa reads (MP3 in WAV: libsndfile's length)
            dur = n / rate
            digits = int(rng.randint(6, 10))
            start = round(float(rng.uniform(0, dur * 0.6)), digits)
            if j % 10 == 0:  # to the end or just past it (librosa reads what there is; bioprobe: <= 0.05 s, flagged)
                end = round(dur + float(rng.uniform(0, 0.04)), digits)
            else:
                end = round(start + float(rng.uniform(0.02, min(3.0, dur - start))), digits)
            if end - start < 0.01 or start >= dur:
                continue
            segs.append((p, l, start, end))
        with open(args.out, 'w', newline='', encoding='utf8') as f:
            w = csvlib.writer(f)
            w.writerow(['path', 'label', 'start', 'end'])
            for p, l, s, e in segs:
                w.writerow([rel(p, args.out), l, repr(s), repr(e)])
        print(f'{len(segs)} segments -> {args.out}', file=sys.stderr)
        return
    with open(args.out, 'w', newline='', encoding='utf8') as f:
        w = csvlib.writer(f)
        w.writerow(['path', 'label'])
        w.writerows((rel(p, args.out), l) for p, l in rows)
    print(f'{len(rows)} rows -> {args.out}', file=sys.stderr)


def cmd_pandas(args):
    import io
    import pandas as pd
    if args.random:  # IMV-like times: 0-600 s with 3 to 9 decimals
        rng = np.random.RandomState(5)
        cells = [f'{rng.uniform(0, 600):.{rng.randint(3, 10)}f}' for _ in range(args.random)]
        parsed = pd.read_csv(io.StringIO('t\n' + '\n'.join(cells)), dtype={'t': float})['t'].to_numpy()
        bad = [(c, float(c), float(p)) for c, p in zip(cells, parsed) if float(c) != float(p)]
        for c, f, p in bad[:10]:
            print(f'  {c}: float() {f!r}, pandas {p!r}')
        print(f'pandas {pd.__version__}: {len(bad)} of {len(cells)} random IMV-like times parse to another float64 than float()')
        return
    df = pd.read_csv(args.csv)
    with open(args.csv, newline='', encoding='utf8') as f:
        raw = list(csvlib.DictReader(f))
    cells = differ = 0
    for r, (_, p) in zip(raw, df.iterrows()):
        for col in ('start', 'end'):
            cells += 1
            if float(r[col]) != float(p[col]):
                differ += 1
                print(f'  {r[col]}: float() {float(r[col])!r}, pandas {float(p[col])!r}')
    print(f'pandas {pd.__version__}: {differ} of {cells} cells parse to another float64 than float()')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[1])
    sub = ap.add_subparsers(dest='cmd', required=True)
    p = sub.add_parser('tiny-weights')
    p.add_argument('--out', required=True)
    p = sub.add_parser('model')
    p.add_argument('--kind', required=True, choices=['hf-tiny', 'hubert-base', 'w2v2-base', 'wavlm-base'])
    p.add_argument('--weights')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--out', required=True)
    p = sub.add_parser('reference')
    p.add_argument('--model', required=True)
    p.add_argument('--weights')
    p.add_argument('--csv', required=True)
    p.add_argument('--out', required=True)
    p.add_argument('--chunk', type=int, default=0)
    p.add_argument('--threads', type=int, default=2)
    p = sub.add_parser('compare')
    p.add_argument('--ref', required=True)
    p.add_argument('--features', required=True)
    p.add_argument('--json')
    p.add_argument('--target', type=float, default=1e-3)
    p.add_argument('--by-group', action='store_true', help='also the worst row error per source rate/channels/codec')
    p = sub.add_parser('csv')
    p.add_argument('labels', nargs='+')
    p.add_argument('--out', required=True)
    p.add_argument('--subset', type=int, default=0)
    p.add_argument('--segments', type=int, default=0)
    p.add_argument('--seed', type=int, default=11)
    p = sub.add_parser('pandas')
    p.add_argument('--csv')
    p.add_argument('--random', type=int, default=0)
    args = ap.parse_args()
    {'tiny-weights': cmd_tiny_weights, 'model': cmd_model, 'reference': cmd_reference, 'compare': cmd_compare,
     'csv': cmd_csv, 'pandas': cmd_pandas}[args.cmd](args)


if __name__ == '__main__':
    main()

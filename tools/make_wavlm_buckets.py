#!/work/venv/bin/python
"""WavLM's relative position buckets as transformers computes them, for bioprobe's graph builder test.

    /work/venv/bin/python tools/make_wavlm_buckets.py   # -> test/fixtures/checkpoints/wavlm_buckets.json

For each (num_buckets, max_distance): transformers' WavLMAttention._relative_positions_bucket over the
relative positions -R..R (memory - context), as int lists. The builder computes these integers in
TypeScript (float32 like torch) and gathers embedding rows by them; this file is what they must equal.
"""
import json
import os

import torch
import transformers
from transformers.models.wavlm.modeling_wavlm import WavLMAttention

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'test', 'fixtures', 'checkpoints', 'wavlm_buckets.json')
CONFIGS = [(320, 800, 3000), (16, 40, 200), (64, 100, 600), (32, 1000, 3000)]


def main():
    doc = {'made_by': 'transformers %s WavLMAttention._relative_positions_bucket (torch %s)' % (transformers.__version__, torch.__version__), 'configs': []}
    for buckets, distance, reach in CONFIGS:
        att = WavLMAttention(embed_dim=8, num_heads=2, num_buckets=buckets, max_distance=distance)
        rel = torch.arange(-reach, reach + 1, dtype=torch.long)
        with torch.no_grad():
            b = att._relative_positions_bucket(rel)
        doc['configs'].append({'num_buckets': buckets, 'max_distance': distance, 'from': -reach, 'buckets': b.tolist()})
    with open(OUT, 'w') as f:
        json.dump(doc, f, separators=(',', ':'))
        f.write('\n')
    print('wrote', OUT, os.path.getsize(OUT), 'bytes')


if __name__ == '__main__':
    main()

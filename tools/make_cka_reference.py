"""Fixtures and reference values for bioprobe's linear CKA (lib/analysis, test/analysis/cka.test.ts).

numpy only: run with /usr/bin/python3 tools/make_cka_reference.py

Writes test/fixtures/analysis/cka/:
  alpha/, beta/, gamma/   three features folders (INTERFACE.md: manifest.json, clips.csv, layer_XX.npy
                          [N, p] <f4) over the same 240 clips, with layers built for known similarities:
      alpha/0  Z R0 + offset: a latent Z (n x 12) with power-law scales, rotated into 48 columns, plus noise
      alpha/1  a nonlinear function of alpha/0 (tanh of a random projection) plus noise
      alpha/2  independent of everything (its own power-law spectrum)
      beta/0   3.7 * alpha/0 Q + offset, Q orthogonal: CKA(alpha/0, beta/0) = 1 (orthogonal and isotropic
               scaling and translation invariance)
      beta/1   alpha/1 D, D diagonal with spread scales: raw CKA < 1, standardised CKA = 1
      beta/2   0.6 alpha/2 + 0.8 fresh noise: partial similarity
      gamma/0  (32 columns) the first 32 columns of alpha/0 R1 plus noise
      gamma/1  (32 columns) fresh noise and one constant column (dropped when standardising)
    Clips 5, 77 and 150 have status `silent` in every model and clip 200 an audio error in beta only,
    their rows zeros: CKA uses the 236 clips usable in every model.
  reference.json   exact linear CKA in float64 over every layer pair (alpha 0-2, beta 0-2, gamma 0-1, in
                   that order), raw and standardised, computed the textbook way: K = Xc Xcᵀ (n x n),
                   CKA = <K_a, K_b>_F / (||K_a||_F ||K_b||_F), and checked against the feature-space form
                   ||Yᵀ X||_F² / (||XᵀX||_F ||YᵀY||_F).
The reference is computed from the float32 values written to disk (upcast to float64).
"""
import csv
import json
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'analysis', 'cka')
N = 240
BAD_ALL = {5: 'silent', 77: 'silent', 150: 'silent'}
BAD_BETA = {200: 'decode-failed: truncated data chunk'}


def orthogonal(rng, p):
    q, r = np.linalg.qr(rng.standard_normal((p, p)))
    return q * np.sign(np.diag(r))


def power_law(rng, n, p, k, alpha=1.0):
    """n x p rows from k latent directions with scales i^-alpha, rotated into p columns."""
    z = rng.standard_normal((n, k)) * (np.arange(1, k + 1) ** -alpha)
    return z @ orthogonal(rng, p)[:k]


def build(rng):
    a0 = power_law(rng, N, 48, 12) * 4 + 0.05 * rng.standard_normal((N, 48)) + rng.standard_normal(48) * 3
    a1 = np.tanh(a0 @ rng.standard_normal((48, 48)) * 0.3) + 0.1 * rng.standard_normal((N, 48))
    a2 = power_law(rng, N, 48, 48, 0.8)
    b0 = 3.7 * a0 @ orthogonal(rng, 48) + 11.0
    b1 = a1 * np.exp(rng.uniform(-2, 2, 48))
    b2 = 0.6 * a2 + 0.8 * power_law(rng, N, 48, 48, 0.8)
    g0 = (a0 @ orthogonal(rng, 48))[:, :32] + 0.3 * rng.standard_normal((N, 32))
    g1 = power_law(rng, N, 32, 32, 1.2)
    g1[:, 7] = 2.5
    return {'alpha': [a0, a1, a2], 'beta': [b0, b1, b2], 'gamma': [g0, g1]}


def write_npy(path, a):
    np.save(path, np.ascontiguousarray(a, dtype='<f4'))


def write_folder(name, layers, bad):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    p = layers[0].shape[1]
    out = []
    for l, x in enumerate(layers):
        x = x.astype(np.float32)
        for i in bad:
            x[i] = 0
        write_npy(os.path.join(d, 'layer_%02d.npy' % l), x)
        out.append(x)
    with open(os.path.join(d, 'clips.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['index', 'path', 'label', 'start', 'end', 'status'])
        for i in range(N):
            w.writerow([i, 'clips/c%03d.wav' % i, ['owl', 'wren', 'kite'][i % 3], '', '', bad.get(i, 'ok')])
    manifest = {'format': 'bioprobe.features/1', 'model': name, 'dataset': 'cka-fixture', 'layers': len(layers), 'dim': p, 'count': N}
    with open(os.path.join(d, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=2)
        f.write('\n')
    return out


def prep(x, standardize):
    x = x.astype(np.float64)
    x = x - x.mean(axis=0)
    if standardize:
        sd = np.sqrt((x ** 2).mean(axis=0))
        # a constant column (variance below 1e-12 of the largest) is dropped, as bioprobe does
        keep = sd ** 2 > (sd ** 2).max() * 1e-12
        x = np.where(keep, x / np.where(keep, sd, 1), 0.0)
    return x


def cka_gram(x, y):
    kx = x @ x.T
    ky = y @ y.T
    return float((kx * ky).sum() / (np.linalg.norm(kx) * np.linalg.norm(ky)))


def cka_feature(x, y):
    return float(np.linalg.norm(y.T @ x) ** 2 / (np.linalg.norm(x.T @ x) * np.linalg.norm(y.T @ y)))


def main():
    rng = np.random.default_rng(20250214)
    layers = build(rng)
    written = {}
    for name in ['alpha', 'beta', 'gamma']:
        bad = dict(BAD_ALL)
        if name == 'beta':
            bad.update(BAD_BETA)
        written[name] = write_folder(name, layers[name], bad)
    used = [i for i in range(N) if i not in BAD_ALL and i not in BAD_BETA]
    order = [(m, l) for m in ['alpha', 'beta', 'gamma'] for l in range(len(written[m]))]
    ref = {'models': ['alpha', 'beta', 'gamma'], 'layers': [[m, l] for m, l in order], 'clips_used': len(used),
           'numpy': np.__version__, 'definition': 'K = Xc Xc^T (n x n, float64), CKA = <K_a, K_b>_F / (||K_a||_F ||K_b||_F)'}
    for standardize in [False, True]:
        xs = [prep(written[m][l][used], standardize) for m, l in order]
        mat = [[cka_gram(a, b) for b in xs] for a in xs]
        for i, a in enumerate(xs):
            for j, b in enumerate(xs):
                assert abs(mat[i][j] - cka_feature(a, b)) < 1e-12, (i, j)
        ref['standardized' if standardize else 'raw'] = mat
    # the constructions hold
    raw, std = np.array(ref['raw']), np.array(ref['standardized'])
    assert abs(raw[0, 3] - 1) < 1e-6 and abs(std[1, 4] - 1) < 1e-6 and raw[1, 4] < 0.99, (raw[0, 3], std[1, 4], raw[1, 4])
    with open(os.path.join(OUT, 'reference.json'), 'w') as f:
        json.dump(ref, f, indent=1)
        f.write('\n')
    size = sum(os.path.getsize(os.path.join(dp, fn)) for dp, _, fns in os.walk(OUT) for fn in fns)
    print('wrote %s (%d bytes); raw CKA:\n%s' % (OUT, size, np.array2string(raw, precision=4)))


if __name__ == '__main__':
    main()

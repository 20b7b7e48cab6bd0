"""Write torch.randperm outputs and the paper's split membership as test fixtures for bioprobe.

Run with Debian's torch (never at run time or test time): /usr/bin/python3 tools/make_randperm_fixtures.py
Writes test/fixtures/randperm/:
  perm_seed<S>_n<N>.npy   int32 torch.randperm(N, generator=torch.Generator().manual_seed(S))
  splits.json             for each case {n, seed, ratios, lengths, membership}: membership is a string with
                          one char per item index (0 train, 1 val, 2 test) from torch.utils.data.random_split
                          with lengths [int(r0/sum*N), int(r1/sum*N), rest], the paper's code path.
"""
import json
import os

import numpy as np
import torch
from torch.utils.data import random_split

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "randperm")
PERMS = [(1, 42), (2, 42), (10, 42), (1000, 42), (1697, 42), (8034, 42), (72920, 42), (1000, 0), (1000, 12345)]
SPLITS = [(n, 42, (70, 20, 10)) for n in (1, 2, 3, 10, 1000, 1697, 8034, 72920)] + [
    (1697, 42, (80, 10, 10)),
    (1000, 7, (60, 20, 20)),
    (999, 42, (1, 1, 1)),
]


def main():
    os.makedirs(OUT, exist_ok=True)
    for n, seed in PERMS:
        p = torch.randperm(n, generator=torch.Generator().manual_seed(seed)).numpy().astype("<i4")
        np.save(os.path.join(OUT, f"perm_seed{seed}_n{n}.npy"), p)
    cases = []
    for n, seed, ratios in SPLITS:
        s = sum(ratios)
        # The paper's code computes int(0.7 * N) with Python floats; r / s gives the same double for 70/100.
        n_train, n_val = int(ratios[0] / s * n), int(ratios[1] / s * n)
        lengths = [n_train, n_val, n - n_train - n_val]
        parts = random_split(range(n), lengths, generator=torch.Generator().manual_seed(seed))
        member = ["?"] * n
        for code, part in enumerate(parts):
            for i in part.indices:
                member[i] = str(code)
        assert "?" not in member
        cases.append({"n": n, "seed": seed, "ratios": list(ratios), "lengths": lengths, "membership": "".join(member)})
    with open(os.path.join(OUT, "splits.json"), "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f)
        f.write("\n")


if __name__ == "__main__":
    main()

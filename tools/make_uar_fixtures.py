"""UAR and accuracy of hand-picked edge cases and random cases, computed by torchmetrics, as the paper's
code computes them (src/models/template_lit.py: `Recall(task="multiclass", average="macro",
num_classes=n)` updated batch by batch over an epoch, `Accuracy(task="multiclass", num_classes=n)`).
Run with the paper's stack, never at run or test time:
    /work/venv/bin/python tools/make_uar_fixtures.py
Writes test/fixtures/probe/uar_torchmetrics.json: {torchmetrics, torch, cases: [{name, C, pred, target,
uar, uar_all, accuracy}]}. `uar_all` is macro recall as torchmetrics 0.11 computed it (the version the
paper's environment.yaml pins, `torchmetrics=0.*`): 0.11's `_adjust_weights_safe_divide` weighted every
class 1, so the macro value is sum_c(recall_c / C) in float32 over all C classes, a class absent from the
targets scoring 0/0 -> 0 (torchmetrics issue #1664 shows 0.11.4 doing this). 0.11 is not installable here;
its per-class recalls are 1.9's `average=None` values (same tp / (tp + fn) with 0/0 -> 0), reduced as 0.11 did. Each UAR is checked here to be the same from MulticlassRecall(average='macro'), from
the paper's Recall(...) constructor, and from batch-by-batch updates (batches of 16, as in an epoch).
torchmetrics divides in float32: values are float32 results widened to float64.
"""
import json
import os

import numpy as np
import torch
import torchmetrics
from torchmetrics.classification import MulticlassAccuracy, MulticlassRecall

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "probe", "uar_torchmetrics.json")

EDGE = [
    ("perfect", 3, [0, 1, 2, 1], [0, 1, 2, 1]),
    ("mixed", 2, [0, 1, 1, 1], [0, 0, 1, 1]),
    ("a class neither present nor predicted is left out", 4, [0, 1, 1, 1], [0, 0, 1, 1]),
    ("a predicted class absent from the targets counts as recall 0", 3, [0, 2, 1, 1], [0, 0, 1, 1]),
    ("a present class never predicted", 2, [0, 0, 0, 0], [0, 0, 1, 1]),
    ("one class only in the targets, predicted right", 3, [1, 1, 1], [1, 1, 1]),
    ("one class only in the targets, some predictions elsewhere", 3, [1, 0, 2, 1, 1], [1, 1, 1, 1, 1]),
    ("all wrong", 3, [1, 2, 2, 0, 0, 1], [0, 0, 1, 1, 2, 2]),
    ("a third right, spread", 3, [1, 2, 0, 1, 2, 0], [0, 0, 1, 1, 2, 2]),
    ("all predicted as one absent class", 4, [3, 3, 3, 3], [0, 1, 2, 0]),
    ("one clip", 5, [2], [4]),
    ("the last class only", 6, [5, 5, 0], [5, 5, 5]),
    ("two classes, many absent", 11, [3, 7, 7, 3, 7], [3, 3, 7, 7, 7]),
]


def scores(C, pred, target):
    p = torch.tensor(pred, dtype=torch.long)
    t = torch.tensor(target, dtype=torch.long)
    uar = MulticlassRecall(num_classes=C, average="macro")(p, t).item()
    paper = torchmetrics.Recall(task="multiclass", average="macro", num_classes=C)
    for s in range(0, len(pred), 16):
        paper.update(p[s:s + 16], t[s:s + 16])
    assert paper.compute().item() == uar, (pred, target)
    per_class = MulticlassRecall(num_classes=C, average=None)(p, t)
    uar_all = (per_class / torch.tensor(float(C))).sum().item()
    acc = MulticlassAccuracy(num_classes=C, average="micro")(p, t).item()
    assert torchmetrics.Accuracy(task="multiclass", num_classes=C)(p, t).item() == acc
    return uar, uar_all, acc


def main():
    cases = []
    for name, C, pred, target in EDGE:
        uar, uar_all, acc = scores(C, pred, target)
        cases.append({"name": name, "C": C, "pred": pred, "target": target, "uar": uar, "uar_all": uar_all, "accuracy": acc})
    rng = np.random.default_rng(2025)
    for k in range(40):
        C = int(rng.integers(2, 12))
        n = int(rng.integers(1, 80))
        # targets over a random subset of the classes (others absent), predictions often right
        present = rng.choice(C, size=int(rng.integers(1, C + 1)), replace=False)
        target = rng.choice(present, size=n).tolist()
        pred = [t if rng.random() < 0.5 else int(rng.integers(0, C)) for t in target]
        uar, uar_all, acc = scores(C, pred, target)
        cases.append({"name": f"random {k}", "C": C, "pred": pred, "target": target, "uar": uar, "uar_all": uar_all, "accuracy": acc})
    with open(OUT, "w") as f:
        json.dump({"torchmetrics": torchmetrics.__version__, "torch": torch.__version__, "cases": cases}, f)
        f.write("\n")
    print("wrote", OUT, len(cases), "cases")


if __name__ == "__main__":
    main()

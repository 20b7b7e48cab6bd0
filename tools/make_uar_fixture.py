"""torchmetrics' macro recall (the paper's UAR) when some classes of the map never occur, for
test/probe/metrics.test.ts. Run with /work/venv/bin/python (torchmetrics 1.9): writes
test/fixtures/probe/uar_absent.json. Each case: num_classes C, predicted and true class per clip, and
MulticlassRecall(num_classes=C, average="macro") on them. Cases mirror the paper's maps: Abzaliev's 14
outputs with S (index 7) never a target, IMV's 11 with a call type absent from a split.
Note: torchmetrics 0.x (the paper's environment.yaml pins torchmetrics=0.*) averaged over all C classes,
absent ones counting 0; these values are torchmetrics >= 1.0's (classes with tp + fp + fn = 0 left out).
"""
import json
import os

import numpy as np
import torch
import torchmetrics
from torchmetrics.classification import MulticlassRecall

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "probe", "uar_absent.json")


def case(name, C, pred, target):
    m = MulticlassRecall(num_classes=C, average="macro")
    v = m(torch.tensor(pred), torch.tensor(target)).item()
    return {"name": name, "C": C, "pred": [int(p) for p in pred], "target": [int(t) for t in target], "uar": v}


def main():
    rng = np.random.default_rng(11)
    cases = []
    # Abzaliev: 14 outputs, 13 call types occur, S (7) is never a target and never predicted
    present = [c for c in range(14) if c != 7]
    t = rng.choice(present, 300)
    p = np.where(rng.random(300) < 0.6, t, rng.choice(present, 300))
    cases.append(case("abzaliev: S never a target, never predicted", 14, p, t))
    # ... and predicted a few times: S then counts with recall 0
    p2 = p.copy()
    p2[:5] = 7
    cases.append(case("abzaliev: S predicted 5 times", 14, p2, t))
    # IMV: 11 outputs, classes 6 and 9 absent from this split, 9 predicted once
    present = [c for c in range(11) if c not in (6, 9)]
    t = rng.choice(present, 200)
    p = np.where(rng.random(200) < 0.5, t, rng.choice(present, 200))
    p[17] = 9
    cases.append(case("imv: 6 absent, 9 absent but predicted once", 11, p, t))
    # a class present but never predicted
    cases.append(case("present, never predicted", 3, [0, 0, 0, 0], [0, 0, 1, 1]))
    with open(OUT, "w") as f:
        json.dump({"torchmetrics": torchmetrics.__version__, "cases": cases}, f)
        f.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()

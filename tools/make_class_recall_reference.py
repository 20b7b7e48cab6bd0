"""Reference for lib/analysis/classRecall.ts: per-class test recall by layer, computed by scikit-learn.

Random test labels and per-layer, per-seed predictions (class 'e' has no test clip; class 'd' is hard
at every layer), validation UARs per layer and seed; sklearn.metrics.recall_score(average=None) gives
each seed's per-class recall, numpy the mean and sample std (ddof=1) over seeds, the best layer (highest
mean val UAR, lowest layer on ties), the class order (descending recall at the best layer, classes
without test clips last) and the classes whose mean recall stays below 0.5 at every layer.

Run: /work/venv/bin/python tools/make_class_recall_reference.py > test/fixtures/analysis/recall/reference.json
"""
import json

import numpy as np
from sklearn.metrics import recall_score

rng = np.random.default_rng(20261130)
classes = ["a", "b", "c", "d", "e"]
C = len(classes)
layers = [0, 1, 2, 3]
seeds = [12345, 12346, 12347]
n_test = 64
y_true = rng.choice(4, size=n_test, p=[0.4, 0.25, 0.2, 0.15])  # class 4 ('e') never occurs
# probability of a right prediction per layer (rows) and class (columns)
p_right = np.array([
    [0.5, 0.3, 0.6, 0.1, 0.5],
    [0.8, 0.5, 0.7, 0.3, 0.5],
    [0.9, 0.7, 0.4, 0.35, 0.5],
    [0.6, 0.6, 0.9, 0.2, 0.5],
])
preds = {}
recall = {}
val_uar = {}
for li, layer in enumerate(layers):
    for s in seeds:
        right = rng.random(n_test) < p_right[li, y_true]
        other = (y_true + rng.integers(1, C, size=n_test)) % C
        y_pred = np.where(right, y_true, other)
        preds[f"{layer}/{s}"] = y_pred.tolist()
        r = recall_score(y_true, y_pred, labels=list(range(C)), average=None, zero_division=np.nan)
        recall[f"{layer}/{s}"] = [None if np.isnan(v) else float(v) for v in r]
        val_uar[f"{layer}/{s}"] = float(np.clip(p_right[li, :4].mean() + rng.normal(0, 0.02), 0, 1))

cells = []
for layer in layers:
    per_seed = np.array([[np.nan if v is None else v for v in recall[f"{layer}/{s}"]] for s in seeds])
    for c in range(C):
        v = per_seed[:, c]
        v = v[~np.isnan(v)]
        cells.append({"layer": layer, "class": classes[c], "mean": float(v.mean()) if len(v) else None,
                      "std": float(v.std(ddof=1)) if len(v) > 1 else None, "n": int((y_true == c).sum())})
mean_val = [np.mean([val_uar[f"{l}/{s}"] for s in seeds]) for l in layers]
best = layers[int(np.argmax(mean_val))]
at_best = {c["class"]: c["mean"] for c in cells if c["layer"] == best}
order = sorted(range(C), key=lambda i: (at_best[classes[i]] is None, -(at_best[classes[i]] or 0), i))
unseparated = []
for i in order:
    own = [c for c in cells if c["class"] == classes[i] and c["mean"] is not None]
    if own and max(c["mean"] for c in own) < 0.5:
        top = max(own, key=lambda c: c["mean"])
        unseparated.append({"class": classes[i], "best_recall": top["mean"], "best_layer": top["layer"]})

print(json.dumps({
    "made_by": f"tools/make_class_recall_reference.py (scikit-learn recall_score, numpy {np.__version__})",
    "classes": classes, "layers": layers, "seeds": seeds, "y_true": y_true.tolist(), "predictions": preds,
    "val_uar": val_uar, "threshold": 0.5,
    "expected": {"cells": cells, "best_layer": best, "class_order": [classes[i] for i in order], "unseparated": unseparated},
}))

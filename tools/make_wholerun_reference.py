"""A whole probe run in PyTorch, the paper's protocol end to end, as a fixture for bioprobe's trainer.
Run with the paper's stack (torch 2.x, torchmetrics), never at run or test time:
    /work/venv/bin/python tools/make_wholerun_reference.py FEATURES_DIR LAYER SEED OUT_JSON [--search]
    /work/venv/bin/python tools/make_wholerun_reference.py --prepare SOURCE_FEATURES LAYER FEATURES_DIR
--prepare makes the fixture's small features folder from a `bioprobe extract` store: that one layer as
layer_00.npy, clips.csv with file names only, a minimal manifest, and split.csv: the paper's split
(torch.utils.data.random_split, lengths int(0.7 N), int(0.2 N), rest, generator seed 42).

FEATURES_DIR: a bioprobe features folder (clips.csv labels, layer_XX.npy) with a split.csv beside
clips.csv (index,...,split). The run: standardise with the train part's mean and unbiased std
(float64, (x - mu) / (sd + 1e-10)); MLP D-128-64-32-C with LayerNorm and ReLU; Adam lr 1e-3;
mini-batches of 16 over the train part reshuffled every epoch; validation loss = mean of per-batch
mean cross-entropies (batches of 16); ReduceLROnPlateau(factor 0.1, patience 10, threshold 1e-4 rel)
stepped on it; validation UAR = torchmetrics Recall(task="multiclass", average="macro"); early
stopping on it with patience 10 (strictly better resets); at most 30 epochs. The weights of the best
validation UAR epoch are kept (the first such epoch).

So that bioprobe can start where torch starts and see the same batches, the initial weights and the
per-epoch permutations follow bioprobe's documented generators (docs/PROTOCOL.md), computed here with
numpy and torch themselves: weights and biases U(-1/sqrt(fan_in), 1/sqrt(fan_in)) drawn as
((u32 >> 8) / 2^24 * 2 - 1) * bound from MT19937 seeded SEED (numpy's legacy RandomState: raw
init_genrand draws), in bioprobe's parameter order and layout (W as [in, out], row-major), LayerNorm
gamma 1 and beta 0; each epoch's order is torch.randperm(n_train) on one torch.Generator seeded
(SEED + 0x9e3779b9) mod 2^32. The fixture records a sha256 of those initial weights and the first
permutations, which the test checks against bioprobe's own, so a mismatch in the set-up cannot pass
as a training difference.

Writes OUT_JSON with the float32 run (the dtype bioprobe trains in) and, for scale, the same run in
float64: per-epoch train loss, val loss, val UAR and lr; epochs trained, best epoch, the epochs after
which the lr dropped; test and val posteriors (softmax) with the final and with the best weights
(base64 float32, [n, C] row-major). --search prints, for seeds SEED..SEED+49, which ones make the lr
drop, stop early, and have best epoch != last (the fixture's case must).

The committed fixture (test/fixtures/probe/wholerun/, 67 KB) was made with (the input features come
from bioprobe's extractor: they are the test's input, the expected numbers all come from torch):
    node --import tsx lib/cli/main.ts extract --model test/fixtures/models/hubert_tiny.onnx \
        --dataset csv:../shared/data/birds/labels.csv --out tools/out/birds_tiny --threads 2
    /work/venv/bin/python tools/make_wholerun_reference.py --prepare tools/out/birds_tiny 1 test/fixtures/probe/wholerun
    /work/venv/bin/python tools/make_wholerun_reference.py test/fixtures/probe/wholerun 0 1 /dev/null --search   # seed 6 fits
    /work/venv/bin/python tools/make_wholerun_reference.py test/fixtures/probe/wholerun 0 6 test/fixtures/probe/wholerun/torch_run.json
"""
import base64
import csv
import hashlib
import json
import os
import sys

import numpy as np
import torch
import torchmetrics
from torchmetrics.classification import MulticlassRecall

NAMES = ["W1", "b1", "g1", "be1", "W2", "b2", "g2", "be2", "W3", "b3", "g3", "be3", "W4", "b4"]
H = [128, 64, 32]


def load(folder, layer):
    rows = list(csv.DictReader(open(os.path.join(folder, "clips.csv"))))
    split = [r["split"] for r in csv.DictReader(open(os.path.join(folder, "split.csv")))]
    X = np.load(os.path.join(folder, f"layer_{layer:02d}.npy")).astype(np.float32)
    ok = [r["status"] == "ok" for r in rows]
    classes = sorted({r["label"] for r, o in zip(rows, ok) if o})
    y = np.array([classes.index(r["label"]) if o else -1 for r, o in zip(rows, ok)])
    idx = {k: [i for i in range(len(rows)) if ok[i] and split[i] == k] for k in ("train", "val", "test")}
    return X, y, classes, idx


def standardise(X, idx):
    X64 = X.astype(np.float64)
    tr = X64[idx["train"]]
    mu = tr.sum(0) / len(tr)
    sd = np.sqrt(((tr - mu) ** 2).sum(0) / (len(tr) - 1)) + 1e-10
    return ((X64 - mu) / sd).astype(np.float32)


def bioprobe_init(D, C, seed):
    """bioprobe's initial weights (bioprobe layout), from numpy's MT19937."""
    rs = np.random.RandomState(seed)
    shapes = {"W1": (D, H[0]), "W2": (H[0], H[1]), "W3": (H[1], H[2]), "W4": (H[2], C)}
    out = {}
    for n in NAMES:
        if n.startswith("g") or n.startswith("be"):
            width = shapes["W" + n[-1]][1]
            out[n] = np.full((1, width), 1.0 if n.startswith("g") else 0.0, dtype=np.float32)
            continue
        r, c = shapes[n] if n.startswith("W") else (1, shapes["W" + n[1:]][1])
        fan_in = shapes["W" + n[1:]][0]
        raw = rs.randint(0, 2 ** 32, size=r * c, dtype=np.uint32).astype(np.float64)
        u = np.floor(raw / 256) / 16777216
        out[n] = ((u * 2 - 1) * (1 / np.sqrt(fan_in))).astype(np.float32).reshape(r, c)
    return out


def make_net(D, C, init, dtype):
    def blk(i, o):
        return [torch.nn.Linear(i, o), torch.nn.LayerNorm(o), torch.nn.ReLU()]
    net = torch.nn.Sequential(*blk(D, H[0]), *blk(H[0], H[1]), *blk(H[1], H[2]), torch.nn.Linear(H[2], C)).to(dtype)
    params = [net[0].weight, net[0].bias, net[1].weight, net[1].bias, net[3].weight, net[3].bias, net[4].weight, net[4].bias,
              net[6].weight, net[6].bias, net[7].weight, net[7].bias, net[9].weight, net[9].bias]
    with torch.no_grad():
        for n, p in zip(NAMES, params):
            v = torch.from_numpy(init[n].astype(np.float64)).to(dtype)
            p.copy_(v.T if n.startswith("W") else v.reshape(-1))
    return net


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode()


def run(Xs, y, C, idx, seed, dtype, epochs=30, batch=16):
    D = Xs.shape[1]
    init = bioprobe_init(D, C, seed)
    net = make_net(D, C, init, dtype)
    X = torch.from_numpy(Xs).to(dtype)
    Y = torch.from_numpy(y)
    Xtr, ytr = X[idx["train"]], Y[idx["train"]]
    Xva, yva = X[idx["val"]], Y[idx["val"]]
    Xte = X[idx["test"]]
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    sch = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.1, patience=10, threshold=1e-4)
    lossf = torch.nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed((seed + 0x9E3779B9) % 2 ** 32)
    history, perms = [], []
    best, bad, best_epoch, best_state = -1.0, 0, 0, None
    for ep in range(1, epochs + 1):
        lr = opt.param_groups[0]["lr"]
        net.train()
        perm = torch.randperm(len(ytr), generator=g)
        if ep <= 3:
            perms.append(perm.tolist())
        losses = []
        for i in range(0, len(ytr), batch):
            b = perm[i:i + batch]
            opt.zero_grad()
            loss = lossf(net(Xtr[b]), ytr[b])
            loss.backward()
            opt.step()
            losses.append(loss.item())
        net.eval()
        with torch.no_grad():
            vls = [lossf(net(Xva[i:i + batch]), yva[i:i + batch]).item() for i in range(0, len(yva), batch)]
            vl = sum(vls) / len(vls)
            vu = MulticlassRecall(num_classes=C, average="macro")(net(Xva).argmax(1), yva).item()
        sch.step(vl)
        history.append({"epoch": ep, "train_loss": sum(losses) / len(losses), "val_loss": vl, "val_uar": vu, "lr": lr})
        if vu > best:
            best, bad, best_epoch = vu, 0, ep
            best_state = {k: v.clone() for k, v in net.state_dict().items()}
        else:
            bad += 1
            if bad >= 10:
                break
    with torch.no_grad():
        post = lambda Z: torch.softmax(net(Z), dim=1).double().numpy()
        last = {"test": post(Xte), "val": post(Xva)}
        net.load_state_dict(best_state)
        bestp = {"test": post(Xte), "val": post(Xva)}
    drops = [h["epoch"] for h, n in zip(history, history[1:]) if n["lr"] < h["lr"]]
    init_bytes = b"".join(np.ascontiguousarray(init[n], dtype="<f4").tobytes() for n in NAMES)
    return {
        "history": history, "epochs": len(history), "best_epoch": best_epoch, "lr_drops_after": drops,
        "posteriors": {"last": {k: b64(v) for k, v in last.items()}, "best": {k: b64(v) for k, v in bestp.items()}},
        "init_sha256": hashlib.sha256(init_bytes).hexdigest(), "perms": perms,
    }


def prepare(src, layer, dest):
    os.makedirs(dest, exist_ok=True)
    rows = list(csv.DictReader(open(os.path.join(src, "clips.csv"))))
    X = np.load(os.path.join(src, f"layer_{layer:02d}.npy"))
    np.save(os.path.join(dest, "layer_00.npy"), X.astype("<f4"))
    n = len(rows)
    lengths = [int(0.7 * n), int(0.2 * n)]
    lengths.append(n - sum(lengths))
    parts = torch.utils.data.random_split(range(n), lengths, generator=torch.Generator().manual_seed(42))
    split = [""] * n
    for name, part in zip(("train", "val", "test"), parts):
        for i in part.indices:
            split[i] = name
    with open(os.path.join(dest, "clips.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["index", "path", "label", "start", "end", "status"])
        for r in rows:
            w.writerow([r["index"], os.path.basename(r["path"]), r["label"], r["start"], r["end"], r["status"]])
    with open(os.path.join(dest, "split.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["index", "path", "label", "split"])
        for r, s in zip(rows, split):
            w.writerow([r["index"], os.path.basename(r["path"]), r["label"], s])
    src_manifest = json.load(open(os.path.join(src, "manifest.json")))
    json.dump({
        "format": "bioprobe.features/1", "model": src_manifest["model"], "dataset": "birds: ../shared/data/birds; 91 clips",
        "layers": 1, "dim": int(X.shape[1]), "count": n,
        "note": f"layer {layer} of a bioprobe extract store of hubert_tiny.onnx, stored as layer_00 (tools/make_wholerun_reference.py --prepare)",
    }, open(os.path.join(dest, "manifest.json"), "w"), indent=1)
    print("prepared", dest, X.shape, {k: split.count(k) for k in ("train", "val", "test")})


def main():
    if sys.argv[1] == "--prepare":
        prepare(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return
    folder, layer, seed, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    X, y, classes, idx = load(folder, layer)
    Xs = standardise(X, idx)
    C = len(classes)
    if "--search" in sys.argv:
        for s in range(seed, seed + 50):
            r = run(Xs, y, C, idx, s, torch.float32)
            fit = r["lr_drops_after"] and r["epochs"] < 30 and r["best_epoch"] != r["epochs"]
            print(s, "epochs", r["epochs"], "best", r["best_epoch"], "drops", r["lr_drops_after"], "FIT" if fit else "")
        return
    r32 = run(Xs, y, C, idx, seed, torch.float32)
    r64 = run(Xs, y, C, idx, seed, torch.float64)
    json.dump({
        "torch": torch.__version__, "torchmetrics": torchmetrics.__version__, "layer": layer, "seed": seed, "classes": classes,
        "counts": {k: len(v) for k, v in idx.items()}, "float32": r32, "float64": r64,
    }, open(out, "w"))
    print("wrote", out, "epochs", r32["epochs"], "best", r32["best_epoch"], "lr drops after", r32["lr_drops_after"],
          "| float64:", r64["epochs"], r64["best_epoch"], r64["lr_drops_after"])


if __name__ == "__main__":
    main()

"""Reference values for bioprobe's weighted probe (all layers, learned mix), computed with PyTorch
(Debian torch 1.13, as tools/make_probe_reference.py), never at run or test time.
usage: /usr/bin/python3 tools/make_weighted_reference.py [OUT_JSON]

The model, written here in PyTorch from docs/PROTOCOL.md ("All layers, learned mix"), not from
bioprobe's code: w = torch.nn.Parameter([L]); a = softmax(w); mix = sum_l a_l x_l over the layers'
(already standardised) rows x [L, B, D]; then the paper's MLP Linear(D,128) LN ReLU, Linear(128,64) LN
ReLU, Linear(64,32) LN ReLU, Linear(32,C); mean cross-entropy; one torch.optim.Adam (lr 1e-3, default
betas and eps) over the MLP's parameters and w.

Writes test/fixtures/probe/weighted_reference.json for L=3 layers, N=11 rows, D=6, C=3, batch 4, from
fixed random parameters (LayerNorm gamma/beta and w random too, so every gradient and a non-uniform
softmax are exercised): the first step's loss and the gradient of every parameter, w included; the
parameters and both Adam moments (exp_avg, exp_avg_sq) after that step; the parameters after a 3-step
epoch in the order `perm` (the last batch is short); the log-posteriors of the final weights on all
rows. For scale, the first step's gradient of w once more in float64 (same numbers otherwise): how far
float32 itself is from the exact gradient. Layout as bioprobe's state: Linear weights [in, out]
(torch's transposed), biases/gamma/beta [1, out], w [1, L]; base64 of little-endian float32.
"""
import base64, json, sys
import numpy as np, torch

out = sys.argv[1] if len(sys.argv) > 1 else "test/fixtures/probe/weighted_reference.json"
L, N, D, C, B = 3, 11, 6, 3, 4
H = [128, 64, 32]
LR = 1e-3
NAMES = ["W1", "b1", "g1", "be1", "W2", "b2", "g2", "be2", "W3", "b3", "g3", "be3", "W4", "b4", "mix"]
rng = np.random.default_rng(11)
X = rng.normal(size=(L, N, D)).astype(np.float32)
y = np.array([0, 1, 2, 1, 0, 2, 2, 1, 0, 1, 2])
perm = rng.permutation(N)
init = None  # filled below: the same random start for the float32 and float64 models


class Weighted(torch.nn.Module):
    """softmax-weighted sum of the layers' rows, then the paper's MLP."""

    def __init__(self):
        super().__init__()
        def blk(i, o): return [torch.nn.Linear(i, o), torch.nn.LayerNorm(o), torch.nn.ReLU()]
        self.mlp = torch.nn.Sequential(*blk(D, H[0]), *blk(H[0], H[1]), *blk(H[1], H[2]), torch.nn.Linear(H[2], C))
        self.w = torch.nn.Parameter(torch.zeros(L))

    def tensors(self):
        """bioprobe-ordered parameters (views into the model)."""
        m = self.mlp
        return [m[0].weight, m[0].bias, m[1].weight, m[1].bias, m[3].weight, m[3].bias, m[4].weight, m[4].bias,
                m[6].weight, m[6].bias, m[7].weight, m[7].bias, m[9].weight, m[9].bias, self.w]

    def forward(self, x):
        a = torch.softmax(self.w, dim=0)
        return self.mlp((a[:, None, None] * x).sum(0))


def layout(n, t):
    return t.T if n.startswith("W") else t.reshape(1, -1)


def b64(t):
    return base64.b64encode(np.ascontiguousarray(t.detach().cpu().numpy(), dtype="<f4").tobytes()).decode()


def export(ts):
    return {n: b64(layout(n, t.detach())) for n, t in zip(NAMES, ts)}


def make(dtype):
    global init
    torch.manual_seed(0)
    model = Weighted().to(dtype)
    if init is None:
        init = [rng.uniform(-0.5, 0.5, size=tuple(t.shape)) for t in model.tensors()]
        init[-1] = rng.uniform(-1, 1, size=(L,))  # w: a non-uniform mix
    with torch.no_grad():
        for t, v in zip(model.tensors(), init):
            t.copy_(torch.from_numpy(v.astype(np.float32)).to(dtype))  # float32 values in both models
    return model


def run(dtype):
    model = make(dtype)
    ts = model.tensors()
    opt = torch.optim.Adam(ts, lr=LR)
    lossf = torch.nn.CrossEntropyLoss()
    x = torch.from_numpy(X).to(dtype)
    yy = torch.from_numpy(y)
    rec = {"init": export(ts), "losses": []}
    for s, i in enumerate(range(0, N, B)):
        b = torch.from_numpy(perm[i:i + B])
        opt.zero_grad()
        loss = lossf(model(x[:, b]), yy[b])
        loss.backward()
        if s == 0:
            rec["loss1"] = loss.item()
            rec["grads1"] = {n: b64(layout(n, t.grad)) for n, t in zip(NAMES, ts)}
            rec["grad_mix_f64"] = [float(v) for v in ts[-1].grad]
        rec["losses"].append(loss.item())
        opt.step()
        if s == 0:
            rec["step1"] = {
                "p": export(ts),
                "m": {n: b64(layout(n, opt.state[t]["exp_avg"])) for n, t in zip(NAMES, ts)},
                "v": {n: b64(layout(n, opt.state[t]["exp_avg_sq"])) for n, t in zip(NAMES, ts)},
            }
    rec["epoch"] = {"p": export(ts)}
    with torch.no_grad():
        rec["logp"] = b64(torch.log_softmax(model(x), dim=1))
        rec["weights"] = [float(v) for v in torch.softmax(ts[-1], dim=0)]
    return rec


r32 = run(torch.float32)
r64 = run(torch.float64)
r32["grad_mix_f64"] = r64["grad_mix_f64"]
json.dump({"torch": torch.__version__, "L": L, "N": N, "D": D, "C": C, "batch": B, "lr": LR,
           "X": b64(torch.from_numpy(X)), "y": y.tolist(), "perm": perm.tolist(), "float32": r32}, open(out, "w"))
print("wrote", out, "loss1", r32["loss1"], "grad w (f32)", list(np.frombuffer(base64.b64decode(r32["grads1"]["mix"]), "<f4")),
      "(f64)", r64["grad_mix_f64"])

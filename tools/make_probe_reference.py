"""Reference values for bioprobe's probe graphs, computed with PyTorch (Debian torch 1.13).
usage: /usr/bin/python3 tools/make_probe_reference.py [OUT_JSON]
Writes test/fixtures/probe/reference.json: for L=2 probes with fixed random weights (gamma/beta random
too, so every gradient is exercised) on fixed inputs, the first step's loss and gradients, the Adam
state (parameters, second moment) after one step, the parameters after a 3-step epoch (batch 4 over 11 rows: the last batch is short), per-probe
learning rates, and the log-posteriors of the final weights on all rows. Weights are stored in
bioprobe's layout: Linear weight [in, out] (torch's transposed), biases/gamma/beta [1, out],
as base64 of little-endian float32."""
import base64, json, sys
import numpy as np, torch

torch.set_default_dtype(torch.float32)
out = sys.argv[1] if len(sys.argv) > 1 else "test/fixtures/probe/reference.json"
L, N, D, C, B = 2, 11, 6, 3, 4
H = [128, 64, 32]
rng = np.random.default_rng(7)
X = rng.normal(size=(L, N, D)).astype(np.float32)
y = np.array([0, 1, 2, 1, 0, 2, 2, 1, 0, 1, 2])
perm = rng.permutation(N)
lrs = [1e-3, 5e-3]
names = ["W1", "b1", "g1", "be1", "W2", "b2", "g2", "be2", "W3", "b3", "g3", "be3", "W4", "b4"]

def make_net():
    def blk(i, o): return [torch.nn.Linear(i, o), torch.nn.LayerNorm(o), torch.nn.ReLU()]
    return torch.nn.Sequential(*blk(D, H[0]), *blk(H[0], H[1]), *blk(H[1], H[2]), torch.nn.Linear(H[2], C))

def tensors(net):
    """bioprobe-ordered parameter tensors of a torch net (views into the net)."""
    m = net
    return [m[0].weight, m[0].bias, m[1].weight, m[1].bias, m[3].weight, m[3].bias, m[4].weight, m[4].bias,
            m[6].weight, m[6].bias, m[7].weight, m[7].bias, m[9].weight, m[9].bias]

def b64(t):
    """float32 little-endian bytes, base64 (keeps the fixture small and exact)."""
    return base64.b64encode(np.ascontiguousarray(t.detach().numpy(), dtype="<f4").tobytes()).decode()

def layout(n, t):
    return t.T if n.startswith("W") else t.reshape(1, -1)

def export(ts):
    """bioprobe layout, flattened row-major."""
    return {n: b64(layout(n, t.detach())) for n, t in zip(names, ts)}

def adam_state(opt, ts, key):
    return {n: b64(layout(n, opt.state[t][key])) for n, t in zip(names, ts)}

probes = []
for l in range(L):
    net = make_net()
    with torch.no_grad():
        for t in tensors(net):
            t.copy_(torch.from_numpy(rng.uniform(-0.5, 0.5, size=tuple(t.shape)).astype(np.float32)))
    init = export(tensors(net))
    opt = torch.optim.Adam(net.parameters(), lr=lrs[l])
    lossf = torch.nn.CrossEntropyLoss()
    xl = torch.from_numpy(X[l]); yl = torch.from_numpy(y)
    rec = {"init": init, "lr": lrs[l], "losses": []}
    for s, i in enumerate(range(0, N, B)):
        bidx = torch.from_numpy(perm[i:i + B])
        opt.zero_grad()
        loss = lossf(net(xl[bidx]), yl[bidx])
        loss.backward()
        if s == 0:
            rec["loss1"] = loss.item()
            rec["grads1"] = {n: b64(layout(n, t.grad)) for n, t in zip(names, tensors(net))}
        rec["losses"].append(loss.item())
        opt.step()
        if s == 0:
            ts = tensors(net)
            rec["step1"] = {"p": export(ts), "v": adam_state(opt, ts, "exp_avg_sq")}
    ts = tensors(net)
    rec["epoch"] = {"p": export(ts)}
    with torch.no_grad():
        rec["logp"] = b64(torch.log_softmax(net(xl), dim=1))
    probes.append(rec)

json.dump({"torch": torch.__version__, "L": L, "N": N, "D": D, "C": C, "batch": B, "X": b64(torch.from_numpy(X)),
           "y": y.tolist(), "perm": perm.tolist(), "probes": probes}, open(out, "w"))
print("wrote", out)

# ReduceLROnPlateau as the probe uses it (factor 0.1, patience 10, rel threshold 1e-4): a loss sequence
# with improvements, plateaus and sub-threshold improvements, and the lr after each step.
net = make_net()
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
sch = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.1, patience=10, threshold=1e-4)
seq = [1.0, 0.9, 0.8] + [0.79995] * 12 + [0.7] + [0.7 - 1e-6 * k for k in range(1, 15)] + [0.5, 0.6, 0.6] + [0.49996] * 20
lrs_seen = []
for v in seq:
    sch.step(v)
    lrs_seen.append(opt.param_groups[0]["lr"])
json.dump({"losses": seq, "lrs": lrs_seen}, open(out.replace("reference.json", "plateau.json"), "w"))
print("wrote plateau.json")

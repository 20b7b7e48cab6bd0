"""UAR parity of `bioprobe probe` with the PyTorch reference (../shared/reference/torch_probe.py).
usage: /usr/bin/python3 tools/probe_parity.py FEATURES_DIR RESULTS_DIR [TOLERANCE=0.04]
RESULTS_DIR is the output of `bioprobe probe --features FEATURES_DIR --select last --seeds K ...`.
Runs the reference on the same features, the same split (RESULTS_DIR/split.csv; non-ok clips are
left out of both) and the same seeds and layers, and compares the mean test UAR over layers and seeds.
Exit status 1 when they differ by more than TOLERANCE."""
import csv, json, os, subprocess, sys, tempfile

feats, res = sys.argv[1], sys.argv[2]
tol = float(sys.argv[3]) if len(sys.argv) > 3 else 0.04
ref = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "reference", "torch_probe.py")
if not os.path.exists(ref):
    ref = "/work/shared/reference/torch_probe.py"
man = json.load(open(os.path.join(res, "manifest.json")))
seeds, layers = man["seeds"], man["layers"]
clips = list(csv.DictReader(open(os.path.join(feats, "clips.csv"))))
split = [r["split"] for r in csv.DictReader(open(os.path.join(res, "split.csv")))]
with tempfile.TemporaryDirectory() as tmp:
    # torch_probe.py reads every row: give non-ok clips a split name it ignores
    lab, spl = os.path.join(tmp, "labels.csv"), os.path.join(tmp, "split.csv")
    with open(lab, "w") as f:
        f.write("label\n" + "".join(f'"{c["label"]}"\n' for c in clips))
    with open(spl, "w") as f:
        f.write("split\n" + "".join((s if c["status"] == "ok" else "excluded") + "\n" for s, c in zip(split, clips)))
    theirs = []
    for seed in seeds:
        out = subprocess.run(["/usr/bin/python3", ref, os.path.join(feats, "layer_%02d.npy"), lab, spl, str(seed),
                              ",".join(map(str, layers))], capture_output=True, text=True, check=True).stdout
        print(out.strip())
        theirs += [float(l.split("test_uar ")[1].split()[0]) for l in out.splitlines() if l.startswith("layer")]
ours = [float(r["uar"]) for r in csv.DictReader(open(os.path.join(res, "results.csv"))) if r["split"] == "test" and r["layer"].isdigit()]
a, b = sum(ours) / len(ours), sum(theirs) / len(theirs)
print(f"bioprobe mean test UAR {a:.4f} over {len(ours)} runs; PyTorch {b:.4f} over {len(theirs)}; difference {a - b:+.4f} (tolerance {tol})")
sys.exit(0 if abs(a - b) <= tol else 1)

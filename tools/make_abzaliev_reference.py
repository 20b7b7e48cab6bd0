"""The Abzaliev files the paper's own loader keeps, for test/datasets/paperLoaders.test.ts.

usage: /usr/bin/python3 tools/make_abzaliev_reference.py [AUTHORS_REPO]   (Debian python3 with torch,
torchaudio, python3-pandas, python3-yaml; AUTHORS_REPO defaults to /work/.mirror/idiap+ssl-human-animal/repo)
Writes test/fixtures/datasets/abzaliev_reference.json: a small tree (dog folders, call-type folders,
`.wav` and `.WAV` files) and the rows of the authors' AbzalievDataset(...).filelist
(src/data/abzaliev/abzalievdataset.py with the maps of configs/data/abzaliev.yaml, both read from their
repository at run time): audio file relative to the root and calltypeID. Their glob's order is the file
system's, so the fixture lists the rows sorted by path (bioprobe's order). librosa.get_duration (the
rows' `end`) is stubbed: lengths are checked against librosa itself in test/fixtures/segments.
"""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import types

import yaml

REPO = sys.argv[1] if len(sys.argv) > 1 else "/work/.mirror/idiap+ssl-human-animal/repo"
OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "datasets", "abzaliev_reference.json")
FILES = [
    "data/Luna_2017/L-S2/b.wav", "data/Luna_2017/L-S2/a.WAV", "data/Luna_2017/S/noise.wav", "data/Chufina_x_y/L-A/1.wav",
    "data/Chufina_x_y/L-H/2.wav", "data/Luna_2017/L-A/z.txt", "data/Luna_2017/stray.wav", "data/Lasy_1/GR-N/3.wav",
    "data/Koster_a/CH-P/4.wav", "data/Koster_a/S/5.wav",
]


def show(path):
    return subprocess.run(["git", "-C", REPO, "show", f"HEAD:{path}"], check=True, capture_output=True, text=True).stdout


def main():
    lib = types.ModuleType("librosa")
    lib.get_duration = lambda path=None, sr=None: 1.0  # the rows' end only; not compared here
    sys.modules["librosa"] = lib
    cfg = yaml.safe_load(show("configs/data/abzaliev.yaml"))["data"]
    keys = ["individual_to_index", "breed_to_index", "individual_to_gender", "gender_to_binary", "calltype_to_index", "individual_to_breed", "typos_individual"]
    with tempfile.TemporaryDirectory() as tmp:
        mod_path = os.path.join(tmp, "abzalievdataset.py")
        with open(mod_path, "w") as f:
            f.write(show("src/data/abzaliev/abzalievdataset.py"))
        spec = importlib.util.spec_from_file_location("abzalievdataset", mod_path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        root = os.path.join(tmp, "abz")
        for rel in FILES:
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            open(os.path.join(root, rel), "wb").close()
        ds = mod.AbzalievDataset(data_dir=root, name="abzaliev", target_sample_rate=16000, selected_labels="calltype",
                                 **{k: cfg[k] for k in keys})
        rows = sorted(({"audio_file": os.path.relpath(r.audio_file, root), "calltypeID": int(r.calltypeID)} for r in ds.filelist.itertuples()),
                      key=lambda r: r["audio_file"])
    with open(OUT, "w") as f:
        json.dump({"files": FILES, "rows": rows}, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: {len(rows)} rows", file=sys.stderr)


if __name__ == "__main__":
    main()

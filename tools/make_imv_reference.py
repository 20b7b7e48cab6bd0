"""The IMV rows the paper's own loader keeps, for test/datasets/paperLoaders.test.ts.

usage: /usr/bin/python3 tools/make_imv_reference.py [AUTHORS_REPO]   (Debian python3 with torch,
torchaudio and python3-pandas; AUTHORS_REPO defaults to /work/.mirror/idiap+ssl-human-animal/repo)
Writes test/fixtures/datasets/imv_reference.json: a small labels.csv with the quirks the paper's code
handles (calltypes 11, 12, above 12, a missing recording, end < start, filenames with extra parts or
extra characters, a zero-padded calltype), the recordings that exist, and the rows of the authors'
IMVDataset(...).filelist (src/data/imv/imvdataset.py, read from their repository at run time, never
copied): audio file relative to the root, start, end, calltypeID, individualID, in order.
Rows the paper's code could not have run on at all (non-numeric times, empty calltype, end = start)
are left out: bioprobe skips those on purpose (docs/DATASETS.md).
librosa is only used by the loader's audio reading, not by the rows: it is stubbed out.
"""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import types

REPO = sys.argv[1] if len(sys.argv) > 1 else "/work/.mirror/idiap+ssl-human-animal/repo"
OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "datasets", "imv_reference.json")

LABELS = """filename,start,end,duration,calltype,caller
20200101_Twin1_marmoset2,0.5,0.627,0.127,2,1
20200101_Twin1_marmoset2,1.0,1.2,0.2,11,1
20200202_Twin3_marmoset1,3.0,3.5,0.5,10,4
20200303_Twin4_marmoset2,1.0,2.0,1.0,1,7
20200202_Twin3_marmoset1,4.0,4.1,0.1,12,4
20200101_Twin1_marmoset2,7.0,7.25,0.25,0,1
20200101_Twin1_marmoset2,8.0,8.5,0.5,13,1
20200101_Twin1_marmoset2,8.5,8.75,0.25,99,1
20200101_Twin1_marmoset2,9.5,9.25,-0.25,3,1
20200101_Twin1_marmoset2_take2,10.123456,10.3,0.176544,4,1
20200101_TwinX1_marmosetY2,11.0,11.35,0.35,05,1
20200202_Twin3_marmoset1,12.001,12.999,0.998,7,4
20200505_Twin5_marmoset2,1.0,1.5,0.5,6,9
20200202_Twin3_marmoset1,13.5,14.25,0.75,9,4
"""
RECORDINGS = ["data/twin_1/20200101_Twin1_marmoset2.wav", "data/twin_3/20200202_Twin3_marmoset1.wav"]


def main():
    src = subprocess.run(["git", "-C", REPO, "show", "HEAD:src/data/imv/imvdataset.py"], check=True, capture_output=True, text=True).stdout
    sys.modules["librosa"] = types.ModuleType("librosa")  # used only to read audio, not to build the rows
    with tempfile.TemporaryDirectory() as tmp:
        mod_path = os.path.join(tmp, "imvdataset.py")
        with open(mod_path, "w") as f:
            f.write(src)
        spec = importlib.util.spec_from_file_location("imvdataset", mod_path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        root = os.path.join(tmp, "imv")
        for rel in RECORDINGS:
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            open(os.path.join(root, rel), "wb").close()
        with open(os.path.join(root, "labels.csv"), "w") as f:
            f.write(LABELS)
        ds = mod.IMVDataset(data_dir=root, name="imv", selected_labels="calltype")
        df = ds.filelist
        rows = [{
            "audio_file": os.path.relpath(r.audio_file, root), "start": float(r.start), "end": float(r.end),
            "calltypeID": int(r.calltypeID), "individualID": int(r.individualID),
        } for r in df.itertuples()]
    import pandas
    with open(OUT, "w") as f:
        json.dump({"pandas": pandas.__version__, "labels_csv": LABELS, "recordings": RECORDINGS, "rows": rows}, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: {len(rows)} rows", file=sys.stderr)


if __name__ == "__main__":
    main()

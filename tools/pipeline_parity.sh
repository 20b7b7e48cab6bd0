#!/usr/bin/env bash
# Whole-pipeline parity (issue #11): every case of tools/pipeline_parity.py, end to end, by hand (never at
# test time; ~1 h on 2 cores). Needs ../shared/data, Debian's python3 (torch 1.13 + pandas), /work/venv
# (the paper's stack) and libsoxr. Numbers: docs/EXTRACTION.md "Whole-pipeline parity", docs/DEVIATIONS.md.
#   tools/pipeline_parity.sh [work folder, default .cache/parity]
# Cases (every one must give each layer <= 1e-3 relative error, elementwise and per row):
#   tiny_all    hf_tiny (transformers Wav2Vec2Model holding hf_tiny.onnx's weights), all 966 recordings whole
#   tiny_chunk  the same, chunked at 48,000 samples as the paper chunked Watkins (bioprobe --max-chunk 48000)
#   tiny_seg    the same, 300 random [start, end] segments (6-9 decimals; 30 run to or just past the end)
#   base_sub    full-size random-init transformers HubertModel, 100 recordings spanning every rate/channels/codec
#   base_seg    the same model, the first 60 of the segments
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-.cache/parity}
VENV=/work/venv/bin/python
mkdir -p "$W"
ln -sfn "$(cd ../shared/data && pwd)" "$W/data"   # csv: datasets take paths below the CSV's folder

[ -f "$W/hf_tiny.npz" ] || /usr/bin/python3 tools/pipeline_parity.py tiny-weights --out "$W/hf_tiny.npz"
[ -f "$W/hf_tiny/model.json" ] || $VENV tools/pipeline_parity.py model --kind hf-tiny --weights "$W/hf_tiny.npz" --out "$W/hf_tiny"
[ -f "$W/hubert_base/model.json" ] || $VENV tools/pipeline_parity.py model --kind hubert-base --seed 0 --out "$W/hubert_base"

L="$W/data/animal-sounds/labels.csv $W/data/birds/labels.csv"
[ -f "$W/all.csv" ] || $VENV tools/pipeline_parity.py csv --out "$W/all.csv" $L
[ -f "$W/subset100.csv" ] || $VENV tools/pipeline_parity.py csv --subset 100 --out "$W/subset100.csv" $L
[ -f "$W/segments.csv" ] || $VENV tools/pipeline_parity.py csv --segments 300 --out "$W/segments.csv" $L
head -61 "$W/segments.csv" > "$W/segments60.csv"

run() {  # name model csv [chunk]
  local name=$1 model=$2 csv=$3 chunk=${4:-}
  local weights=() bp=()
  [ "$model" = hf_tiny ] && weights=(--weights "$W/hf_tiny.npz")
  [ -n "$chunk" ] && bp=(--max-chunk "$chunk")
  [ -f "$W/ref_$name/features.npy" ] || $VENV tools/pipeline_parity.py reference --model "$W/$model" "${weights[@]}" \
    --csv "$csv" --out "$W/ref_$name" ${chunk:+--chunk "$chunk"}
  [ -f "$W/bp_$name/manifest.json" ] || node bin/bioprobe.js extract --model "$W/$model/model.onnx" --dataset "csv:$csv" \
    --out "$W/bp_$name" --resampler libsoxr --threads 2 "${bp[@]}"
  $VENV tools/pipeline_parity.py compare --ref "$W/ref_$name" --features "$W/bp_$name" --json "$W/cmp_$name.json" --by-group | tee "$W/cmp_$name.txt"
}
status=0
run tiny_all hf_tiny "$W/all.csv" || status=1
run tiny_chunk hf_tiny "$W/all.csv" 48000 || status=1
run tiny_seg hf_tiny "$W/segments.csv" || status=1
run base_sub hubert_base "$W/subset100.csv" || status=1
run base_seg hubert_base "$W/segments60.csv" || status=1
/usr/bin/python3 tools/pipeline_parity.py pandas --csv "$W/segments.csv" | tail -1
/usr/bin/python3 tools/pipeline_parity.py pandas --random 200000 | tail -1
exit $status

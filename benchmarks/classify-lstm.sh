#!/usr/bin/env bash
# Digits read row by row, side by side with Keras (shared/anchors/keras_lstm_rows.py): LSTM(128)
# → Dense(10, softmax) on the 5,000-digit MNIST subset, 5 epochs, batch 32, tested on the real
# MNIST test set. Prints both training times, the ratio Keras / playground and both accuracies,
# for the LSTM and the GRU.
#
#   benchmarks/classify-lstm.sh [TEST_DIR] [EPOCHS]     # TEST_DIR: t10k-*.gz, default ../shared/data/mnist
#
# Needs the anchors virtual environment with tensorflow-cpu (benchmarks/setup-anchors.sh).
source "$(dirname "$0")/prelude.sh"
test_dir=${1:-../shared/data/mnist}
epochs=${2:-5}
subset="${XDG_CACHE_HOME:-$HOME/.cache}/playground/mnist/mnist_5k.csv.gz"
anchor=../shared/anchors/keras_lstm_rows.py
[ -f "$subset" ] || { echo "no MNIST subset at $subset: run scripts/setup" >&2; exit 1; }
[ -f "$test_dir/t10k-images-idx3-ubyte.gz" ] || { echo "no MNIST test set in $test_dir" >&2; exit 1; }
[ -f "$anchor" ] || { echo "no Keras anchor at $anchor" >&2; exit 1; }
"$python" benchmarks/subset_idx.py "$subset" "$out/data" "$test_dir"

for model in lstm gru; do
  echo "playground classify mnist --model $model…"
  .build/release/playground classify mnist --model "$model" --epochs "$epochs" --data-dir "$out/data" \
    --quiet --output-dir "$out/$model" >/dev/null
done
echo "Keras LSTM(128)…"
"$python" "$anchor" "$out/data" "$epochs" 2>/dev/null | tail -1 >"$out/keras.txt"

"$python" - "$out" <<'PY'
import json, re, sys
out = sys.argv[1]
keras = open(f"{out}/keras.txt").read()
seconds = float(re.search(r"fit_seconds ([0-9.]+)", keras).group(1))
accuracy = float(re.search(r"test_accuracy ([0-9.]+)", keras).group(1))
runs = {m: json.load(open(f"{out}/{m}/classify-mnist/latest/summary.json")) for m in ("lstm", "gru")}
print(f"backend: {runs['lstm']['versions'].get('backend', 'openblas')}, {runs['lstm']['versions'].get('threads', '?')} threads, {runs['lstm']['versions'].get('onednn') or runs['lstm']['versions'].get('openblas_core')}")
print("| run | train s | test accuracy | Keras LSTM / playground time |")
print("|---|---:|---:|---:|")
print(f"| Keras LSTM(128), 2-core CPU | {seconds:.2f} | {accuracy:.4f} | 1.0 |")
for model, run in runs.items():
    print(f"| playground {model} | {run['train_seconds']:.2f} | {run['test_accuracy']:.4f} | {seconds / run['train_seconds']:.1f} |")
PY

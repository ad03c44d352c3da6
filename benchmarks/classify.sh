#!/usr/bin/env bash
# `playground classify` side by side with TensorFlow/Keras on the same workload: the Keras
# example (Flatten → Dense(128, relu) → Dense(10, softmax), Adam, batch 32, 5 epochs, unscaled
# 0–255 pixels) on 60,000 Fashion-MNIST images from Debian's dataset-fashion-mnist.
# Prints both training times, the ratio Keras / playground, and both test accuracies.
#
#   benchmarks/classify.sh [DATA_DIR]
#
# Needs the anchors virtual environment (benchmarks/setup-anchors.sh); PYTHON overrides its path.
source "$(dirname "$0")/prelude.sh"
data=${1:-/usr/share/datasets/fashion-mnist}
[ -f "$data/train-images-idx3-ubyte.gz" ] || { echo "no IDX files in $data: run scripts/setup (dataset-fashion-mnist)" >&2; exit 1; }


# The playground on each backend (BACKENDS overrides), raw pixels as the Keras example and its
# default scaled pixels.
backends=${BACKENDS:-onednn openblas}
for backend in $backends; do
  echo "playground on $backend (raw pixels, as the Keras example)…"
  PLAYGROUND_BACKEND=$backend .build/release/playground classify fashion --data-dir "$data" \
    --raw-pixels --quiet --output-dir "$out/$backend-raw" >/dev/null
  echo "playground on $backend (pixels scaled to [0, 1], its default)…"
  PLAYGROUND_BACKEND=$backend .build/release/playground classify fashion --data-dir "$data" \
    --quiet --output-dir "$out/$backend-scaled" >/dev/null
done
echo "Keras (shared/anchors/keras_seed_classifier.py)…"
anchor=$(dirname "$0")/keras_seed_classifier.py
[ -f "$anchor" ] || anchor=../shared/anchors/keras_seed_classifier.py
"$python" "$anchor" "$data" 2>/dev/null | tail -1 >"$out/keras.txt"

"$python" - "$out" $backends <<'PY'
import json, re, sys
out, backends = sys.argv[1], sys.argv[2:]
keras = open(f"{out}/keras.txt").read()
seconds = float(re.search(r"fit_seconds ([0-9.]+)", keras).group(1))
accuracy = float(re.search(r"eval \[[^,]+, ([0-9.]+)\]", keras).group(1))
print(f"| run | train s (5 epochs) | test accuracy | Keras / playground time |")
print(f"|---|---:|---:|---:|")
print(f"| Keras 2-core CPU, raw pixels | {seconds:.2f} | {accuracy:.4f} | 1.0 |")
for backend in backends:
    for pixels in ("raw", "scaled"):
        run = json.load(open(f"{out}/{backend}-{pixels}/classify-fashion/latest/summary.json"))
        v = run["versions"]
        name = f"playground on {backend} ({v.get('threads')} threads, {v.get('onednn') or v.get('openblas_core')}), {pixels} pixels"
        print(f"| {name} | {run['train_seconds']:.2f} | {run['test_accuracy']:.4f} | {seconds / run['train_seconds']:.1f} |")
PY

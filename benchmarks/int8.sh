#!/usr/bin/env bash
# Float against int8 (`playground export RUN_DIR --int8`) side by side: the default MLP and the
# CNN trained on the 5,000-digit MNIST subset, quantised (512 training images calibrate), then
# test accuracy on the MNIST test set, images/s at batch 256 and file sizes, on each backend
# (BACKENDS overrides "onednn openblas"); and the same two ONNX files (model.onnx and the QDQ
# model-int8.onnx) timed in onnxruntime at batch 256, as the anchor runtime sees them.
#
#   benchmarks/int8.sh [DATA_DIR]     # default: $PLAYGROUND_EVAL_DATA, else ../shared/data/mnist
#
# onnxruntime comes from scripts/check-onnx's environment ($PLAYGROUND_ONNX_VENV, .venv-onnx/).
source "$(dirname "$0")/prelude.sh"
data=${1:-${PLAYGROUND_EVAL_DATA:-../shared/data/mnist}}
[ -f "$data/t10k-images-idx3-ubyte.gz" ] || { echo "no MNIST test set in $data" >&2; exit 1; }
backends=${BACKENDS:-onednn openblas}
venv=${PLAYGROUND_ONNX_VENV:-.venv-onnx}
export PLAYGROUND_OFFLINE=1

for model in mlp cnn; do
  echo "training the $model…"
  .build/release/playground classify mnist --model "$model" --data-dir "$data" --quiet \
    --output-dir "$out/$model" >/dev/null
  run=$out/$model/classify-mnist/latest
  for backend in $backends; do
    echo "export --int8 of the $model on $backend…"
    PLAYGROUND_BACKEND=$backend .build/release/playground export "$run" --int8 --data-dir "$data" >/dev/null
    cp "$run/int8.json" "$out/$model-$backend.json"
  done
  .build/release/playground export "$run" >/dev/null
  .build/release/playground export "$run" --data-dir "$data" --check-data "$out/$model-images.safetensors"
done

ort=""
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import onnxruntime" 2>/dev/null; then
  ort="$venv/bin/python"
else
  echo "(no onnxruntime in $venv: scripts/check-onnx makes it; the anchor rows are left out)" >&2
fi

"$python" - "$out" "$ort" $backends <<'PY'
import json, subprocess, sys
out, ort, backends = sys.argv[1], sys.argv[2], sys.argv[3:]
print("| model | backend | products | float accuracy | int8 accuracy | points lost | float images/s | int8 images/s | int8 / float speed | int8 / float size |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
for model in ("mlp", "cnn"):
    for backend in backends:
        r = json.load(open(f"{out}/{model}-{backend}.json"))
        print(f"| {model} | {backend} ({r['threads']} threads) | {r['integer_products']} | "
              f"{r['float']['test_accuracy']:.4f} | {r['int8']['test_accuracy']:.4f} | {r['accuracy_loss_points']:.2f} | "
              f"{r['float']['images_per_second']:,.0f} | {r['int8']['images_per_second']:,.0f} | "
              f"{r['speedup']:.2f} | {r['size_ratio']:.3f} |")
if not ort:
    sys.exit(0)
timing = r'''
import json, struct, sys, time
import numpy as np, onnxruntime
run, images = sys.argv[1], sys.argv[2]
raw = open(images, "rb").read()
(length,) = struct.unpack("<Q", raw[:8])
entry = json.loads(raw[8:8 + length])["input"]
a, b = entry["data_offsets"]
x = np.frombuffer(raw[8 + length + a:8 + length + b], dtype="<f4").reshape(entry["shape"])
x = np.concatenate([x] * 4)  # 256 test images
options = onnxruntime.SessionOptions()
options.intra_op_num_threads = 2
for name in ("model.onnx", "model-int8.onnx"):
    session = onnxruntime.InferenceSession(f"{run}/{name}", options, providers=["CPUExecutionProvider"])
    feed = {session.get_inputs()[0].name: x}
    session.run(None, feed)
    best = min(timeit for timeit in (
        (lambda s=time.perf_counter(): ([session.run(None, feed) for _ in range(20)], time.perf_counter() - s)[1])()
        for _ in range(3)))
    print(name, 20 * len(x) / best)
print("version", onnxruntime.__version__)
'''
print()
print("| model in onnxruntime (same files) | float images/s | QDQ int8 images/s | int8 / float |")
print("|---|---:|---:|---:|")
for model in ("mlp", "cnn"):
    lines = subprocess.run([ort, "-c", timing, f"{out}/{model}/classify-mnist/latest",
                            f"{out}/{model}-images.safetensors"], capture_output=True, text=True, check=True).stdout.split("\n")
    speeds = dict(line.split() for line in lines if line)
    f, q = float(speeds["model.onnx"]), float(speeds["model-int8.onnx"])
    print(f"| {model} (onnxruntime {speeds['version']}, 2 threads) | {f:,.0f} | {q:,.0f} | {q / f:.2f} |")
PY

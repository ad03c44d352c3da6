#!/usr/bin/env bash
# `playground gan` side by side with PyTorch (shared/anchors/torch_gan_variants.py) on the same
# 5,000 MNIST digits for the same wall-clock budget: training images per second of both, and the
# sample quality of both under the same judge (the playground's CNN, `playground gan score`).
#
#   benchmarks/gan.sh [SECONDS] [VARIANT]     # defaults: 60, cdcsmall (cmlp, mlp, dcsmall also;
#                                             # tfdcgan: the TensorFlow tutorial's DCGAN against
#                                             # shared/anchors/torch_gan_mnist.py dcgan)
#
# Needs the anchors virtual environment (benchmarks/setup-anchors.sh) and the subset in the cache
# (scripts/setup).
source "$(dirname "$0")/prelude.sh"
seconds=${1:-60}
variant=${2:-cdcsmall}
anchor=../shared/anchors/torch_gan_variants.py
subset="${XDG_CACHE_HOME:-$HOME/.cache}/playground/mnist/mnist_5k.csv.gz"
[ -f "$subset" ] || { echo "no MNIST subset at $subset: run scripts/setup" >&2; exit 1; }
[ -f "$anchor" ] || { echo "no PyTorch anchor at $anchor" >&2; exit 1; }

# The subset as IDX files, for both sides.
"$python" benchmarks/subset_idx.py "$subset" "$out/data"

case "$variant" in
  cdcsmall) flags=(--model dcgan --conditional) ;;
  dcsmall) flags=(--model dcgan --no-conditional) ;;
  cmlp) flags=(--model mlp --conditional) ;;
  mlp) flags=(--model mlp --no-conditional) ;;
  tfdcgan) flags=(--config agents/tf-dcgan.yaml); anchor=../shared/anchors/torch_gan_mnist.py; variant=dcgan ;;
  *) echo "unknown variant $variant" >&2; exit 1 ;;
esac
minutes=$("$python" -c "print($seconds / 60)")
# The playground on each backend (BACKENDS overrides: "onednn", "openblas" or both), then PyTorch.
backends=${BACKENDS:-onednn openblas}
for backend in $backends; do
  PLAYGROUND_OFFLINE=1 PLAYGROUND_BACKEND=$backend .build/release/playground gan mnist "${flags[@]}" \
    --minutes "$minutes" --data-dir "$out/data" --quiet --output-dir "$out/ours-$backend" | tail -2
done
"$python" "$anchor" "$variant" "$out/data" "$out/torch" "$seconds" | tail -1 | tee "$out/torch.txt"
# PyTorch's 1,000 samples under the playground's judge: quality on equal terms.
echo "PyTorch's samples, same judge: $(PLAYGROUND_OFFLINE=1 .build/release/playground gan score \
  "$out"/torch/grid*.png --data-dir "$out/data")"
"$python" - "$out" $backends <<'PY'
import json, re, sys
out, backends = sys.argv[1], sys.argv[2:]
torch = float(re.search(r"(\d+) img/s", open(f"{out}/torch.txt").read()).group(1))
print(f"PyTorch: {torch:.0f} images/s")
for backend in backends:
    s = json.load(open(f"{out}/ours-{backend}/gan-mnist/latest/summary.json"))
    v = s["versions"]
    print(f"playground on {backend} ({v.get('threads')} threads, {v.get('onednn') or v.get('openblas_core')}): "
          f"{s['images_per_second']:.0f} images/s = {s['images_per_second'] / torch:.2f}× PyTorch, {s['epochs']} epochs, "
          f"IS {s.get('inception_score', float('nan')):.2f}, FID {s.get('frechet_distance', float('nan')):.1f}, "
          f"{100 * s.get('confident_share', 0):.0f}% confident, label accuracy {s.get('label_accuracy') or float('nan'):.3f}")
PY

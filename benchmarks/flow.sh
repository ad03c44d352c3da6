#!/usr/bin/env bash
# `playground flow` side by side with PyTorch (shared/anchors/torch_flow_mnist.py, the same
# U-Net) on the same 5,000 MNIST digits for the same wall-clock budget: training images per
# second, the time to sample 1,000 digits (20 Euler steps, guidance 1.5, 100 of each class), and
# the quality of both sides' 1,000 digits under the same judge (`playground gan score`). With
# GAN=1, the default GAN trains for the same budget on the same digits, for the quality beside it.
#
#   benchmarks/flow.sh [SECONDS]            # default 300 (the issue's budget; 60 is far too
#                                           # little for digits)
#
# Needs the anchors virtual environment (benchmarks/setup-anchors.sh) and the subset in the
# cache (scripts/setup). Run it on a quiet machine: both sides use 2 threads.
source "$(dirname "$0")/prelude.sh"
seconds=${1:-300}
anchor=../shared/anchors/torch_flow_mnist.py
subset="${XDG_CACHE_HOME:-$HOME/.cache}/playground/mnist/mnist_5k.csv.gz"
[ -f "$subset" ] || { echo "no MNIST subset at $subset: run scripts/setup" >&2; exit 1; }
[ -f "$anchor" ] || { echo "no PyTorch anchor at $anchor" >&2; exit 1; }
"$python" benchmarks/subset_idx.py "$subset" "$out/data"
minutes=$("$python" -c "print($seconds / 60)")
backends=${BACKENDS:-onednn}
# PyTorch's anchor trains with batches of 128: the same here for the speed row (the default is 64).
sed -e 's/^quality_every: .*/quality_every: 100000/' -e 's/^batch_size: .*/batch_size: 128/' agents/flow.yaml > "$out/flow.yaml"
for backend in $backends; do
  # Scored once, at the end (quality_every beyond the epochs there are).
  PLAYGROUND_OFFLINE=1 PLAYGROUND_BACKEND=$backend .build/release/playground flow mnist \
    --minutes "$minutes" --data-dir "$out/data" --quiet --output-dir "$out/ours-$backend" \
    --config "$out/flow.yaml" | tail -2
  start=$(date +%s.%N)
  PLAYGROUND_BACKEND=$backend .build/release/playground flow sample \
    --checkpoint "$out/ours-$backend/flow-mnist/latest/ema.safetensors" --count 1000 \
    --steps 20 --guidance 1.5 --guidance-interval 0,1 --output "$out/ours-$backend-samples.png" >/dev/null
  echo "$(date +%s.%N) - $start" | bc > "$out/ours-$backend-sampling.txt"
done
if [ "${GAN:-0}" = 1 ]; then
  PLAYGROUND_OFFLINE=1 .build/release/playground gan mnist --minutes "$minutes" \
    --data-dir "$out/data" --quiet --output-dir "$out/gan" | tail -2
fi
"$python" "$anchor" "$out/data" "$out/torch" "$seconds" 20 1.5 | tee "$out/torch.txt" | tail -3
echo "PyTorch's 1,000 digits, same judge: $(PLAYGROUND_OFFLINE=1 .build/release/playground gan score \
  "$out"/torch/samples.png --data-dir "$out/data")"
"$python" - "$out" $backends <<'PY'
import json, re, sys
out, backends = sys.argv[1], sys.argv[2:]
text = open(f"{out}/torch.txt").read()
torch = float(re.search(r"trained .*?, (\d+) images/s", text).group(1))
torch_sampling = float(re.search(r"sampled 1000 images in ([\d.]+) s", text).group(1))
print(f"PyTorch: {torch:.0f} images/s training, 1,000 digits sampled in {torch_sampling:.1f} s")
for backend in backends:
    s = json.load(open(f"{out}/ours-{backend}/flow-mnist/latest/summary.json"))
    sampling = float(open(f"{out}/ours-{backend}-sampling.txt").read())
    v = s["versions"]
    print(f"playground on {backend} ({v.get('threads')} threads): {s['images_per_second']:.0f} images/s = "
          f"{s['images_per_second'] / torch:.2f}× PyTorch; 1,000 digits in {sampling:.1f} s = "
          f"{torch_sampling / sampling:.2f}× PyTorch's speed; {s['epochs']} epochs; "
          f"{100 * (s.get('label_accuracy') or float('nan')):.1f}% drawn as their label, "
          f"FID {s.get('frechet_distance', float('nan')):.1f}, IS {s.get('inception_score', float('nan')):.2f}")
try:
    g = json.load(open(f"{out}/gan/gan-mnist/latest/summary.json"))
    print(f"default GAN, same budget: {100 * (g.get('label_accuracy') or float('nan')):.1f}% drawn as their label, "
          f"FID {g['frechet_distance']:.1f}, IS {g['inception_score']:.2f}")
except FileNotFoundError:
    pass
PY

#!/usr/bin/env bash
# DP-SGD side by side with Opacus 1.6 (the README's "Privacy and bias" table): Opacus's MNIST
# example network on Debian's Fashion-MNIST (60,000 training images), plain SGD at 0.15, Poisson
# sampling at 256/60,000, C 1.0, σ 1.1, δ 1e-5, EPOCHS epochs, seeds 0, 1, 2 — the anchor
# (../shared/anchors/opacus_dp_classifier.py, PyTorch on 2 threads, through opacus_seeded.py for
# the seed) and `playground classify fashion --dp`; then the same network without privacy in the
# playground (`--model dpcnn`), for the cost of privacy. One job at a time: run it on a quiet
# machine (PyTorch on 2 threads slows 10–100× beside another job).
#
#   benchmarks/privacy.sh [EPOCHS]        # default 1; needs opacus in anchors-venv
set -euo pipefail
source "$(dirname "$0")/prelude.sh"
epochs=${1:-1}
data=${FASHION_DIR:-/usr/share/datasets/fashion-mnist}
[ -f "$data/train-images-idx3-ubyte.gz" ] || { echo "no Fashion-MNIST in $data: apt-get install dataset-fashion-mnist" >&2; exit 1; }
"$python" -c "import opacus" 2>/dev/null || { echo "no opacus in $python: $python -m pip install opacus==1.6.0" >&2; exit 1; }
for seed in 0 1 2; do
  "$python" benchmarks/opacus_seeded.py "$seed" "$data" "$epochs" 1.1 1.0 256 0.15 \
    | awk -v s="$seed" '/^final/ {print "opacus", s, $3, $5, $7}' >> "$out/rows"
  .build/release/playground classify fashion --dp --epochs "$epochs" --seed "$seed" --data-dir "$data" \
    --output-dir "$out/outputs" --quiet > /dev/null
  .build/release/playground classify fashion --model dpcnn --epochs "$epochs" --seed "$seed" \
    --data-dir "$data" --output-dir "$out/outputs" --quiet > /dev/null
done
"$python" - "$out" <<'PY'
import glob, json, sys
out = sys.argv[1]
rows = {"opacus": [], "playground": [], "playground, not private": []}
for line in open(out + "/rows"):
    _, seed, accuracy, epsilon, seconds = line.split()
    rows["opacus"].append((float(accuracy), float(epsilon), float(seconds)))
for path in sorted(glob.glob(out + "/outputs/classify-fashion/2*/summary.json")):
    s = json.load(open(path))
    name = "playground" if "privacy" in s else "playground, not private"
    rows[name].append((s["test_accuracy"], s.get("epsilon", float("inf")), s["train_seconds"]))
mean = lambda values: sum(values) / len(values)
print("| | test accuracy (3 seeds) | ε at δ 1e-5 | training s (mean) |")
print("|---|---|---|---|")
for name, runs in rows.items():
    accuracies = ", ".join(f"{a:.4f}" for a, _, _ in runs)
    print(f"| {name} | {mean([a for a, _, _ in runs]):.4f} ({accuracies}) | {runs[0][1]:.4f} | {mean([t for _, _, t in runs]):.1f} |")
opacus, ours, plain = (mean([t for _, _, t in rows[k]]) for k in rows)
print(f"\nplayground's private training is {opacus / ours:.2f}× faster than Opacus's; "
      f"a private epoch costs {ours / plain:.2f}× the same network's non-private one")
PY

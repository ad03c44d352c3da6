#!/usr/bin/env bash
# Transfer learning (the README's "Transfer" table): the MNIST CNN (scenarios/classify-mnist-cnn.yaml,
# 5 epochs) fine-tuned on 1,000 Fashion-MNIST training images for 10 epochs — every layer, and
# with both convolutions frozen (freeze: 2) — against the same CNN trained from scratch on those
# 1,000 (scenarios/transfer-fashion.yaml), seeds 0, 1, 2: the test accuracy on Fashion-MNIST's
# 10,000 test images after each run.
#
#   benchmarks/transfer.sh [WORK_DIR]      # default: a temporary folder, removed at the end
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
[ -n "${PLAYGROUND_BINARY:-}" ] || (cd "$here" && swift build -c release --product playground >/dev/null)
playground=${PLAYGROUND_BINARY:-$here/.build/release/playground}
work=${1:-$(mktemp -d)}
[ -n "${1:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work" && cd "$work"   # init_from: outputs/... is read from here

"$playground" run "$here/scenarios/classify-mnist-cnn.yaml" --quiet | tail -1
"$playground" run "$here/scenarios/transfer-fashion.yaml" --jobs 2 --quiet > /dev/null
sed -e 's|^description:.*|name: transfer-fashion-frozen\n&|' -e '/^sweep:/,$d' \
  "$here/scenarios/transfer-fashion.yaml" > frozen.yaml
printf '  init_from: outputs/classify-mnist-cnn/latest\n  freeze: 2\nseeds: [0, 1, 2]\n' >> frozen.yaml
"$playground" run frozen.yaml --jobs 2 --quiet > /dev/null
python3 - <<'PY'
import glob, json
rows = {}
for path in glob.glob("outputs/transfer-fashion*/2*/summary.json"):
    s = json.load(open(path))
    start = "from MNIST" if s.get("init_from") else "from scratch"
    if s.get("frozen_layers"): start += f", first {s['frozen_layers']} frozen"
    rows.setdefault(start, []).append((s["seed"], s["test_accuracy"]))
for start, runs in sorted(rows.items()):
    runs.sort()
    accuracies = [a for _, a in runs]
    print(f"{start:28s} seeds {[seed for seed, _ in runs]}: test accuracy "
          + ", ".join(f"{a:.4f}" for a in accuracies) + f" — mean {sum(accuracies)/len(accuracies):.4f}")
PY

#!/usr/bin/env bash
# The core benchmark side by side with PyTorch on this machine: sgemm at the playground's shapes,
# convolutions forward+backward, and per-op overhead. Prints both times and the ratio
# playground/PyTorch (below 1 means the playground is faster).
#
#   benchmarks/core.sh [MIN_SECONDS]
#
# Needs the anchors virtual environment (benchmarks/setup-anchors.sh); PYTHON overrides its path.
set -euo pipefail
cd "$(dirname "$0")/.."
min_seconds=${1:-0.2}
python=${PYTHON:-anchors-venv/bin/python}
[ -x "$python" ] || { echo "no PyTorch environment at $python: run benchmarks/setup-anchors.sh" >&2; exit 1; }

swift build -c release --product playground >/dev/null
ours=$(mktemp) theirs=$(mktemp)
trap 'rm -f "$ours" "$theirs"' EXIT
.build/release/playground bench core --format tsv --min-seconds "$min_seconds" >"$ours"
"$python" benchmarks/core_torch.py "$min_seconds" >"$theirs"

"$python" - "$ours" "$theirs" <<'PY'
import sys
def read(path):
    comments, rows = [], {}
    for line in open(path):
        if line.startswith("#"):
            comments.append(line[1:].strip())
        elif not line.startswith("workload"):
            fields = line.rstrip("\n").split("\t")
            rows[fields[0]] = fields[1:]
    return comments, rows
(ours_info, ours), (torch_info, torch) = read(sys.argv[1]), read(sys.argv[2])
print("playground:", *ours_info, "| PyTorch:", *torch_info)
print(f"| {'workload':<38} | {'playground µs':>13} | {'GFLOP/s':>8} | {'PyTorch µs':>10} | {'ratio':>6} |")
print(f"|{'-' * 40}|{'-' * 15}|{'-' * 10}|{'-' * 12}|{'-' * 8}|")
for name, (micro, gflops) in ours.items():
    other = float(torch[name][0])
    print(f"| {name:<38} | {float(micro):>13.1f} | {gflops or '–':>8} | {other:>10.1f} | {float(micro) / other:>6.2f} |")
PY

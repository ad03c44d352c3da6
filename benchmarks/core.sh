#!/usr/bin/env bash
# The core benchmark side by side with PyTorch on this machine: sgemm at the playground's shapes,
# convolutions forward+backward, and per-op overhead. Prints the playground's times on each
# backend (oneDNN, OpenBLAS), PyTorch's, and the ratios playground/PyTorch (below 1 means the
# playground is faster). Both sides use PLAYGROUND_THREADS threads (default: every core).
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
    comments, header, rows = [], None, {}
    for line in open(path):
        fields = line.rstrip("\n").split("\t")
        if line.startswith("#"):
            comments.append(line[1:].strip())
        elif fields[0] == "workload":
            header = fields
        else:
            rows[fields[0]] = dict(zip(header[1:], fields[1:]))
    return comments, header, rows
(ours_info, header, ours), (torch_info, _, torch) = read(sys.argv[1]), read(sys.argv[2])
backends = [name[:-3] for name in header[1:] if name.endswith("_us")]
print("playground:", *ours_info, "| PyTorch:", *torch_info)
columns = [f"{b} µs" for b in backends] + ["PyTorch µs"] + [f"{b}/PyTorch" for b in backends]
print(f"| {'workload':<38} | " + " | ".join(f"{c:>15}" for c in columns) + " |")
print(f"|{'-' * 40}|" + "|".join("-" * 17 for _ in columns) + "|")
for name, row in ours.items():
    other = float(torch[name]["microseconds"])
    times = [float(row[f"{b}_us"]) for b in backends]
    cells = [f"{t:.1f}" for t in times] + [f"{other:.1f}"] + [f"{t / other:.2f}" for t in times]
    print(f"| {name:<38} | " + " | ".join(f"{c:>15}" for c in cells) + " |")
PY

#!/usr/bin/env bash
# Vector CartPole side by side with Gymnasium's own (NumPy over the copies): environment steps per
# second with random actions at 1, 64 and 1,024 copies, each on one thread, one after the other
# (never beside each other), and the ratio.
#
#   benchmarks/vector.sh [SECONDS]          # seconds per measurement, default 3
#
# Needs the anchors virtual environment with gymnasium (benchmarks/setup-anchors.sh).
source "$(dirname "$0")/prelude.sh"
seconds=${1:-3}
counts=1,64,1024
OMP_NUM_THREADS=1 .build/release/playground bench vector --copies "$counts" --seconds "$seconds" \
  >"$out/ours.tsv"
OMP_NUM_THREADS=1 "$python" benchmarks/vector_gymnasium.py "$seconds" "$counts" >"$out/gym.tsv"
"$python" - "$out" <<'PY'
import sys
out = sys.argv[1]
def rates(path):
    rows = [line.rstrip("\n").split("\t") for line in open(path)][1:]
    return {int(r[1]): float(r[4]) for r in rows}
ours, gym = rates(f"{out}/ours.tsv"), rates(f"{out}/gym.tsv")
print("| copies | Gymnasium env steps/s | playground env steps/s | playground / Gymnasium |")
print("|---:|---:|---:|---:|")
for n in sorted(ours):
    print(f"| {n:,} | {gym[n]:,.0f} | {ours[n]:,.0f} | {ours[n] / gym[n]:.1f}× |")
PY

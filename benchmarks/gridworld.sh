#!/usr/bin/env bash
# Tabular Q-learning on FrozenLake 8×8: `playground rl gridworld` against the same loop on
# Gymnasium's own FrozenLake in Python (benchmarks/gridworld_gymnasium.py). Prints environment
# steps/s and training episodes/s of both and the ratios.
#
#   benchmarks/gridworld.sh [PYTHON_EPISODES]
#
# Needs the anchors virtual environment (benchmarks/setup-anchors.sh); PYTHON overrides its path.
source "$(dirname "$0")/prelude.sh"
.build/release/playground rl gridworld --map frozenlake8x8 --quiet --output-dir "$out" >/dev/null
"$python" benchmarks/gridworld_gymnasium.py "${1:-20000}" >"$out/gym.tsv"
"$python" - "$out" <<'PY'
import json, sys
out = sys.argv[1]
ours = json.load(open(f"{out}/rl-gridworld/latest/summary.json"))
lines = [l for l in open(f"{out}/gym.tsv") if not l.startswith("#")]
header, values = lines[0].split(), lines[1].split()
gym = dict(zip(header, map(float, values)))
print("| run | episodes | steps/s | episodes/s | greedy success |")
print("|---|---:|---:|---:|---:|")
print(f"| Gymnasium FrozenLake + Python Q-learning | {gym['episodes']:.0f} | {gym['steps_per_second']:,.0f} | {gym['episodes_per_second']:,.0f} | {gym['greedy_success']:.3f} |")
print(f"| playground rl gridworld | {ours['episodes']} | {ours['steps_per_second']:,.0f} | {ours['episodes_per_second']:,.0f} | {ours['greedy_success_rate']:.3f} |")
print(f"| ratio | | {ours['steps_per_second'] / gym['steps_per_second']:.0f}× | {ours['episodes_per_second'] / gym['episodes_per_second']:.0f}× | |")
PY

#!/usr/bin/env bash
# 32 seeds of tabular Q-learning on FrozenLake 8×8 (the default agent, 100,000 episodes each): in
# one process (`rl gridworld --seeds 0-31`) against 32 processes two at a time (`playground run`
# of a seeds scenario, --jobs 2), one after the other on a quiet machine; wall and CPU times, the
# mean greedy success rate, and whether each seed's q_table.csv is the same both ways.
#
#   benchmarks/gridworld-seeds.sh [SEEDS]        # default 32
source "$(dirname "$0")/prelude.sh"
count=${1:-32}
time_seeds_both_ways gridworld frozenlake8x8 q-learning "$count" "Q-learning on FrozenLake 8x8"
"$python" - "$out" "$count" <<'PY'
import glob, json, re, sys
out, count = sys.argv[1], int(sys.argv[2])
def runs(pattern):
    return {re.search(r"seed(\d+)$", d).group(1): d for d in glob.glob(pattern)}
batch, procs = runs(f"{out}/batch/rl-gridworld/*-seed*"), runs(f"{out}/processes/*/*-seed*")
def row(name, times, folders):
    wall, cpu = map(float, open(times).read().split()[-2:])
    success = [json.load(open(f"{d}/summary.json"))["greedy_success_rate"] for d in folders.values()]
    return wall, f"| {name} | {wall:.1f} | {cpu:.1f} | {sum(success) / len(success):.3f} |"
same = sum(open(f"{batch[s]}/q_table.csv").read() == open(f"{procs[s]}/q_table.csv").read() for s in batch)
one = row(f"one process (`rl gridworld --seeds 0-{count - 1}`)", f"{out}/batch.time", batch)
many = row(f"{count} processes, two at a time (`playground run`, `--jobs 2`)", f"{out}/processes.time", procs)
print(f"| Q-learning seeds 0–{count - 1}, FrozenLake 8×8 | wall s | CPU s | mean greedy success |")
print("|---|---:|---:|---:|")
print(one[1]); print(many[1])
print(f"\nprocesses' wall time / one process's: {many[0] / one[0]:.2f}×; the same q_table.csv for {same} of {len(batch)} seeds")
PY

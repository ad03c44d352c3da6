#!/usr/bin/env bash
# 32 DQN seeds of the default agent on CartPole-v1 (to solved, or 50,000 steps): in one process
# (`rl cartpole --seeds 0-31`) against 32 processes two at a time (`playground run` of a seeds
# scenario, --jobs 2), one after the other on a quiet machine; wall and CPU times, the solve rate
# and the IQM of the solve step with its 95% interval for each.
#
#   benchmarks/seeds.sh [SEEDS]        # default 32
source "$(dirname "$0")/prelude.sh"
count=${1:-32}
time_seeds_both_ways cartpole cartpole dqn "$count" "DQN on CartPole-v1"
"$python" - "$out" "$count" <<'PY'
import glob, json, sys
out, count = sys.argv[1], int(sys.argv[2])
def row(name, times, aggregate, runs):
    wall, cpu = map(float, open(times).read().split()[-2:])
    entry = next(iter(json.load(open(aggregate))["objectives"]["solved_at_step"].values()))
    iqm = entry["iqm"]
    solved = sum(json.load(open(f)).get("solved") is True for f in runs)
    return wall, f"| {name} | {wall:.1f} | {cpu:.1f} | {solved}/{count} | {iqm['estimate']:,.0f} [{iqm['low']:,.0f}, {iqm['high']:,.0f}] |"
batch = row(f"one process (`rl cartpole --seeds 0-{count - 1}`)", f"{out}/batch.time",
            f"{out}/batch/rl-cartpole/batch/aggregate.json",
            glob.glob(f"{out}/batch/rl-cartpole/*-seed*/summary.json"))
procs = row(f"{count} processes, two at a time (`playground run`, `--jobs 2`)", f"{out}/processes.time",
            glob.glob(f"{out}/processes/*/sweep/aggregate.json")[0],
            glob.glob(f"{out}/processes/*/*-seed*/summary.json"))
print(f"| DQN seeds 0–{count - 1} | wall s | CPU s | solved | IQM of the solve step [95% CI] |")
print("|---|---:|---:|---:|---|")
print(batch[1]); print(procs[1])
print(f"\nprocesses' wall time / one process's: {procs[0] / batch[0]:.2f}×")
PY

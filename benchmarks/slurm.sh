#!/usr/bin/env bash
# What the Slurm executor costs, on a one-node Slurm started here (scripts/slurm-local; root and
# Debian's slurm-wlm + munge): the overhead per task — from `playground run --executor slurm` to
# the run's folder being created, i.e. its training starting — over 8 trivial runs, and the wall
# time of `playground run cartpole-seeds` (5 DQN runs) through each executor, 2 runs at a time.
#
#   benchmarks/slurm.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product playground >/dev/null
playground=$PWD/.build/release/playground
out=$(mktemp -d)
export PLAYGROUND_SLURM_DIR="$out/slurm" PLAYGROUND_SLURMCTLD_PORT=6927 PLAYGROUND_SLURMD_PORT=6928
trap 'scripts/slurm-local stop >/dev/null; rm -rf "$out"' EXIT
scripts/slurm-local start >/dev/null
export SLURM_CONF="$out/slurm/slurm.conf" PLAYGROUND_SLURM_POLL=0.2
# A fresh node starts its first job ~3 s late; measure a warm one, as a cluster's are.
sbatch --quiet --wait --output=/dev/null --wrap true

now() { date +%s.%N; }

# 8 runs of ~1 ms of training: what remains is the executor's own cost.
cat >"$out/tiny.yaml" <<'YAML'
description: eight runs with almost no work
kind: rl
environment: frozenlake4x4
agent: q-learning
budget: {episodes: 1}
seeds: [0, 1, 2, 3, 4, 5, 6, 7]
YAML
start=$(now)
"$playground" run "$out/tiny.yaml" --executor slurm --output-dir "$out/tiny" >/dev/null
end=$(now)
births=$(for run in "$out"/tiny/tiny/*seed*; do stat -c %.9W "$run"; done | sort -n)
first=$(echo "$births" | head -1)
start_local=$(now)
"$playground" run "$out/tiny.yaml" --jobs 2 --output-dir "$out/tiny-local" >/dev/null
end_local=$(now)
python3 - "$start" "$end" "$first" "$start_local" "$end_local" $births <<'PY'
import sys
start, end, first, start_local, end_local = map(float, sys.argv[1:6])
births = sorted(map(float, sys.argv[6:]))
print("| 8 trivial runs, 2 at a time | local | Slurm |")
print("|---|---:|---:|")
print(f"| command to the first run's training | – | {first - start:.2f} s |")
print(f"| wall time of the sweep | {end_local - start_local:.2f} s | {end - start:.2f} s |")
print(f"| per run (wall / 8 × 2 at a time) | {(end_local - start_local) / 4:.2f} s | {(end - start) / 4:.2f} s |")
PY

for executor in local slurm; do
  start=$(now)
  "$playground" run cartpole-seeds --executor "$executor" --output-dir "$out/$executor" >/dev/null
  end=$(now)
  echo "cartpole-seeds (5 DQN runs, 50,000 steps each) through $executor: $(python3 -c "print(f'{$end - $start:.1f}')") s"
done

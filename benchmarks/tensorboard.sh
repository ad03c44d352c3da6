#!/usr/bin/env bash
# What writing TensorBoard's event file costs: the runs that log most often — DQN on cart-pole
# (an event per episode and per evaluation) and tabular Q-learning on FrozenLake 8×8 (a row per
# episode, 20,000 episodes) — and a classifier epoch, each with and without --no-tensorboard,
# alternating, REPEATS times (default 15) on one thread (its times are steadiest), on a quiet
# machine. Prints the fastest and the median wall seconds of each whole command (training,
# writing every file, the report) with and without, and the overhead of the fastest (the
# least disturbed; this machine's noise between identical runs is several per cent). The
# promise: under 1%.
#
#   benchmarks/tensorboard.sh [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-15}
swift build -c release --product playground >/dev/null
binary=.build/release/playground
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

runs=(
  "rl cartpole"
  "rl gridworld --map frozenlake8x8 --episodes 20000"
  "classify mnist --epochs 5"
)

# The wall seconds of one run.
train_seconds() {
  rm -rf "$out/runs"
  local start end
  start=$(date +%s.%N)
  PLAYGROUND_OFFLINE=1 PLAYGROUND_THREADS=1 $binary "$@" --quiet --output-dir "$out/runs" >/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "| run | events per run | with: fastest / median s | without: fastest / median s | overhead (fastest) |"
echo "|---|---:|---:|---:|---:|"
for run in "${runs[@]}"; do
  with=() without=()
  for _ in $(seq "$repeats"); do
    # shellcheck disable=SC2086
    with+=("$(train_seconds $run)")
    # shellcheck disable=SC2086
    without+=("$(train_seconds $run --no-tensorboard)")
  done
  # shellcheck disable=SC2086
  PLAYGROUND_OFFLINE=1 PLAYGROUND_THREADS=1 $binary $run --quiet --output-dir "$out/count" >/dev/null
  events=$(python3 - "$out/count" <<'PY'
import glob, struct, sys
path = glob.glob(sys.argv[1] + "/*/2*/events.out.tfevents.*")[0]
data, at, count = open(path, "rb").read(), 0, 0
while at + 12 <= len(data):
    (length,) = struct.unpack_from("<Q", data, at)
    at += 16 + length
    count += 1
print(count)
PY
)
  rm -rf "$out/count"
  a=$(printf '%s\n' "${with[@]}" | sort -g | head -1)
  b=$(printf '%s\n' "${without[@]}" | sort -g | head -1)
  am=$(printf '%s\n' "${with[@]}" | median)
  bm=$(printf '%s\n' "${without[@]}" | median)
  printf '| %s | %s | %.3f / %.3f | %.3f / %.3f | %+.2f%% |\n' "$run" "$events" "$a" "$am" "$b" "$bm" \
    "$(echo "($a - $b) / $b * 100" | bc -l)"
done

#!/usr/bin/env bash
# What tuning buys, each figure from one command (the README's "Tuning" table):
#  1. DQN on CartPole-v1, 30 TPE trials of 5 seeds with ASHA (scenarios/tune-cartpole-dqn.yaml):
#     the best settings against the shipped default (agents/dqn.yaml), solved_at_step over 5
#     fresh seeds (100–104, not the tuning seeds 0–4) — median and each;
#  2. ASHA against no pruning, the same 30 trials: steps used (every trial's runs) and the best
#     found, its mean over the tuning seeds and its median over the fresh seeds;
#  3. TPE against random search on the MNIST classifier (scenarios/tune-classifier.yaml, 3 epochs
#     a trial), 30 trials each, tuning seeds 0, 1, 2: the best test accuracy.
#
#   benchmarks/tune.sh [OUTPUT_DIR]        # default: a temporary folder, removed at the end
#   PLAYGROUND_BINARY=path/to/playground benchmarks/tune.sh   # that binary, without building
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${PLAYGROUND_BINARY:-}" ] || swift build -c release --product playground >/dev/null
playground=${PLAYGROUND_BINARY:-$PWD/.build/release/playground}
out=${1:-$(mktemp -d)}
[ -n "${1:-}" ] || trap 'rm -rf "$out"' EXIT
mkdir -p "$out"

# A scenario file with some lines replaced: variant FILE NAME 'sed expressions'.
variant() {
  sed -e "s|^description:.*|name: $2\n&|" -e "$3" "$1" > "$out/$2.yaml"
  echo "$out/$2.yaml"
}
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2]))" "$@"; }

# fresh NAME AGENT [SEEDS]: DQN with AGENT (a name or a best.yaml) on fresh seeds (default
# 100–104); solved_at_step of each (a run that never solves: the steps it ran), sorted, their
# median and mean.
fresh() {
  cat > "$out/$1.yaml" <<YAML
name: $1
kind: rl
environment: cartpole
agent: $2
budget: {steps: 50000}
seeds: [${3:-100, 101, 102, 103, 104}]
YAML
  "$playground" run "$out/$1.yaml" --jobs 2 --quiet --output-dir "$out" > /dev/null
  local steps
  steps=$(for run in "$out/$1"/2*; do
    solved=$(field "$run/summary.json" solved_at_step)
    [ "$solved" = None ] && field "$run/summary.json" steps || echo "$solved"
  done | sort -n | tr '\n' ' ')
  echo "  $1 on fresh seeds ${3:-100-104}: solved_at_step $steps→ median $(echo $steps | awk '{a[NR]=$0} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}' RS=' ' | head -1), mean $(echo $steps | awk '{s=0; for(i=1;i<=NF;i++) s+=$i; print s/NF}')"
}

echo "== 1. DQN on CartPole-v1: 30 TPE trials (5 seeds each) with ASHA; the best on 5 fresh seeds"
"$playground" tune scenarios/tune-cartpole-dqn.yaml --jobs 2 --quiet --output-dir "$out" | tail -3
fresh default dqn
fresh tuned-asha "$out/tune-cartpole-dqn/tune/best.yaml"

echo "== 2. The same study without pruning"
none=$(variant scenarios/tune-cartpole-dqn.yaml tune-cartpole-dqn-nopruning 's|^pruner:.*|pruner: none|')
"$playground" tune "$none" --jobs 2 --quiet --output-dir "$out" | tail -3
fresh tuned-nopruning "$out/tune-cartpole-dqn-nopruning/tune/best.yaml"

echo "== The three on 20 fresh seeds (100–119), to see through 5 seeds' noise"
twenty=$(seq -s ', ' 100 119)
fresh default-20 dqn "$twenty"
fresh tuned-asha-20 "$out/tune-cartpole-dqn/tune/best.yaml" "$twenty"
fresh tuned-nopruning-20 "$out/tune-cartpole-dqn-nopruning/tune/best.yaml" "$twenty"

echo "== 3. TPE against random search on the classifier, 30 trials, tuning seeds 0, 1, 2"
for sampler in tpe random; do
  for seed in 0 1 2; do
    file=$(variant scenarios/tune-classifier.yaml "tune-classifier-$sampler-$seed" \
      "s|^sampler:.*|sampler: $sampler|; s|^seed:.*|seed: $seed|; s|^trials:.*|trials: 30|")
    echo "  $sampler seed $seed: $("$playground" tune "$file" --jobs 2 --quiet --output-dir "$out" | grep '^best:')"
  done
done

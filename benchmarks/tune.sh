#!/usr/bin/env bash
# What tuning buys, each figure from one command (the README's "Tuning" table):
#  1. DQN on CartPole-v1, 30 TPE trials with ASHA (scenarios/tune-cartpole-dqn.yaml): the best
#     settings against the shipped default (agents/dqn.yaml), solved_at_step over 5 fresh seeds
#     (100–104, not the tuning seed 0) — median and each;
#  2. ASHA against no pruning, the same 30 trials: steps used (the sum of every trial's) and the
#     best solved_at_step found;
#  3. TPE against random search on the MNIST classifier (scenarios/tune-classifier.yaml, 3 epochs
#     a trial), 12 trials each, tuning seeds 0, 1, 2: the best test accuracy.
#
#   benchmarks/tune.sh [OUTPUT_DIR]        # default: a temporary folder, removed at the end
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${PLAYGROUND_BINARY:-}" ] || swift build -c release --product playground >/dev/null
playground=${PLAYGROUND_BINARY:-$PWD/.build/release/playground}
out=${1:-$(mktemp -d)}
[ -n "${1:-}" ] || trap 'rm -rf "$out"' EXIT
mkdir -p "$out"

# A scenario file with some keys replaced: variant FILE NAME 'sed expressions'.
variant() {
  sed -e "s|^description:.*|name: $2\n&|" -e "$3" "$1" > "$out/$2.yaml"
  echo "$out/$2.yaml"
}
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2]))" "$@"; }

echo "== 1. DQN on CartPole-v1: 30 TPE trials with ASHA, then the best on 5 fresh seeds"
"$playground" tune scenarios/tune-cartpole-dqn.yaml --jobs 2 --quiet --output-dir "$out" | tail -3
best="$out/tune-cartpole-dqn/tune/best.yaml"
for agent in dqn "$best"; do
  name=$([ "$agent" = dqn ] && echo fresh-default || echo fresh-best)
  cat > "$out/$name.yaml" <<YAML
name: $name
kind: rl
environment: cartpole
agent: $agent
budget: {steps: 50000}
seeds: [100, 101, 102, 103, 104]
YAML
  "$playground" run "$out/$name.yaml" --jobs 2 --quiet --output-dir "$out" > /dev/null
  steps=$(for run in "$out/$name"/2*; do
    solved=$(field "$run/summary.json" solved_at_step)
    [ "$solved" = None ] && field "$run/summary.json" steps || echo "$solved"
  done | sort -n | tr '\n' ' ')
  echo "$name: solved_at_step (never solved: the steps it ran) on seeds 100-104, sorted: $steps→ median $(echo $steps | awk '{print $3}')"
done

echo "== 2. ASHA against no pruning, 30 trials each (the same seed)"
none=$(variant scenarios/tune-cartpole-dqn.yaml tune-cartpole-dqn-nopruning 's|^pruner:.*|pruner: none|')
"$playground" tune "$none" --jobs 2 --quiet --output-dir "$out" | tail -3

echo "== 3. TPE against random search on the classifier, 12 trials, tuning seeds 0, 1, 2"
for sampler in tpe random; do
  for seed in 0 1 2; do
    file=$(variant scenarios/tune-classifier.yaml "tune-classifier-$sampler-$seed" \
      "s|^sampler:.*|sampler: $sampler|; s|^seed:.*|seed: $seed|")
    echo "$sampler seed $seed: $("$playground" tune "$file" --jobs 2 --quiet --output-dir "$out" | grep '^best:')"
  done
done

#!/usr/bin/env bash
# `playground rl cartpole` side by side with Stable-Baselines3's DQN and the rl-baselines3-zoo
# hyper-parameters (shared/anchors/sb3_dqn_cartpole.py): (1) our default command's wall time to
# solved, (2) our DQN with the zoo's exact hyper-parameters for 50,000 steps (benchmarks/dqn-zoo.yaml),
# (3) SB3 on the same 50,000 steps, and raw CartPole steps/s against Gymnasium's.
#
#   benchmarks/cartpole.sh
#
# Needs the anchors virtual environment with stable-baselines3 (benchmarks/setup-anchors.sh).
source "$(dirname "$0")/prelude.sh"
binary=.build/release/playground
anchor=../shared/anchors/sb3_dqn_cartpole.py

for seed in 0 1 2 3 4; do
  "$binary" rl cartpole --seed "$seed" --quiet --output-dir "$out/default" >/dev/null
  cp "$out/default/rl-cartpole/latest/summary.json" "$out/default-$seed.json"
done
# The zoo settings on each backend (BACKENDS overrides).
backends=${BACKENDS:-onednn openblas}
for backend in $backends; do
  PLAYGROUND_BACKEND=$backend "$binary" rl cartpole --agent benchmarks/dqn-zoo.yaml --quiet \
    --output-dir "$out/zoo-$backend" >/dev/null
done
"$binary" bench env --steps 2000000 >"$out/env.tsv"
"$python" benchmarks/cartpole_gymnasium.py 200000 >"$out/gym.tsv"
if [ -f "$anchor" ]; then "$python" "$anchor" >"$out/sb3.txt" 2>/dev/null; else echo "train wall s: nan" >"$out/sb3.txt"; fi

"$python" - "$out" $backends <<'PY'
import json, re, sys
out, backends = sys.argv[1], sys.argv[2:]
default = [json.load(open(f"{out}/default-{s}.json")) for s in range(5)]
sb3 = open(f"{out}/sb3.txt").read()
sb3_seconds = float(re.search(r"train wall s: ([0-9.na]+)", sb3).group(1))
sb3_eval = re.search(r"eval 20 eps deterministic: mean ([0-9.]+) std ([0-9.]+)", sb3)
def rate(path, name):
    for line in open(path):
        if line.startswith(name):
            return float(line.split("\t")[3])
ours_env, gym_env = rate(f"{out}/env.tsv", "CartPole-v1"), rate(f"{out}/gym.tsv", "CartPole-v1")
print("| run | steps | train s | greedy evaluation | SB3 time / ours |")
print("|---|---:|---:|---|---:|")
if sb3_eval:
    print(f"| Stable-Baselines3 DQN, zoo hyper-parameters | 50,000 | {sb3_seconds:.1f} | {float(sb3_eval.group(1)):.1f} ± {float(sb3_eval.group(2)):.1f} (20 episodes) | 1.0 |")
for backend in backends:
    zoo = json.load(open(f"{out}/zoo-{backend}/rl-cartpole/latest/summary.json"))
    v = zoo["versions"]
    print(f"| playground on {backend} ({v.get('threads')} threads), zoo hyper-parameters (dqn-zoo.yaml) | {zoo['steps']:,} | {zoo['train_seconds']:.1f} | {zoo['final_eval_mean_return']:.1f} ± {zoo['final_eval_std_return']:.1f} (20 episodes) | {sb3_seconds / zoo['train_seconds']:.1f} |")
for s, run in enumerate(default):
    solved = f"solved at {run['solved_at_step']:,}" if run["solved"] else "not solved"
    print(f"| playground default, seed {s} ({solved}) | {run['steps']:,} | {run['train_seconds']:.1f} | {run['final_eval_mean_return']:.1f} ± {run['final_eval_std_return']:.1f} (100 episodes) | {sb3_seconds / run['train_seconds']:.1f} |")
print()
print(f"raw CartPole steps/s: playground {ours_env:,.0f}, Gymnasium {gym_env:,.0f} ({ours_env / gym_env:.0f}×)")
PY

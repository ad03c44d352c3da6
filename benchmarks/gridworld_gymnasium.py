#!/usr/bin/env python3
"""Tabular Q-learning on Gymnasium's own FrozenLake-v1 8x8 (slippery), the loop of
`playground rl gridworld`: epsilon-greedy with exponential decay over half the episodes, a
linearly decaying step size, gamma 0.999. Prints episodes, environment steps, seconds, steps/s
and episodes/s as TSV, and the greedy success rate over 1,000 seeded episodes.

    python benchmarks/gridworld_gymnasium.py [EPISODES] [4x4|8x8]
"""
import sys
import time

import gymnasium as gym
import numpy as np

episodes = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
map_name = sys.argv[2] if len(sys.argv) > 2 else "8x8"
# FrozenLake-v1 registers a 100-step limit whatever the map; the 8x8 map's own limit is 200
# (FrozenLake8x8-v1), as in environments/frozenlake8x8.yaml.
env = gym.make("FrozenLake-v1", map_name=map_name, is_slippery=True,
               max_episode_steps=200 if map_name == "8x8" else 100)
rng = np.random.default_rng(0)
q = np.zeros((env.observation_space.n, env.action_space.n))
gamma, alpha0, alpha1, eps0, eps1, fraction = 0.999, 0.1, 0.01, 1.0, 0.01, 0.5

steps = 0
start = time.perf_counter()
state, _ = env.reset(seed=0)
for episode in range(episodes):
    if episode > 0:
        state, _ = env.reset()
    progress = min(episode / (episodes * fraction), 1.0)
    epsilon = eps0 * (eps1 / eps0) ** progress
    alpha = alpha0 + (alpha1 - alpha0) * episode / episodes
    done = False
    while not done:
        if rng.random() < epsilon:
            action = int(rng.integers(4))
        else:
            best = np.flatnonzero(q[state] == q[state].max())
            action = int(rng.choice(best))
        next_state, reward, terminated, truncated, _ = env.step(action)
        target = reward + (0.0 if terminated else gamma * q[next_state].max())
        q[state, action] += alpha * (target - q[state, action])
        state = next_state
        steps += 1
        done = terminated or truncated
seconds = time.perf_counter() - start

policy = q.argmax(axis=1)
successes = 0
for episode in range(1000):
    state, _ = env.reset(seed=1_000_000 + episode)
    done = False
    while not done:
        state, reward, terminated, truncated, _ = env.step(int(policy[state]))
        done = terminated or truncated
    successes += reward > 0
print(f"# gymnasium={gym.__version__}")
print("episodes\tsteps\tseconds\tsteps_per_second\tepisodes_per_second\tgreedy_success")
print(f"{episodes}\t{steps}\t{seconds:.3f}\t{steps / seconds:.0f}\t{episodes / seconds:.1f}\t{successes / 1000:.3f}")

#!/usr/bin/env python3
"""Raw CartPole-v1 steps per second in Gymnasium with random actions (TSV, like
`playground bench env`)."""
import sys
import time

import gymnasium as gym
import numpy as np

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
env = gym.make("CartPole-v1")
rng = np.random.default_rng(0)
env.reset(seed=0)
start = time.perf_counter()
for _ in range(steps):
    _, _, terminated, truncated, _ = env.step(int(rng.integers(2)))
    if terminated or truncated:
        env.reset()
seconds = time.perf_counter() - start
print("environment\tsteps\tseconds\tsteps_per_second")
print(f"CartPole-v1\t{steps}\t{seconds:.3f}\t{steps / seconds:.0f}")

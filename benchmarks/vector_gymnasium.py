#!/usr/bin/env python3
"""Gymnasium's own vector CartPole (`gym.make_vec("CartPole-v1",
vectorization_mode="vector_entry_point")`, NumPy over the copies) with random actions from the
action space: environment steps per second at each number of copies (TSV, like `playground bench
vector`).

    python benchmarks/vector_gymnasium.py [SECONDS] [COPIES,...]
"""
import sys
import time

import gymnasium as gym

seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
counts = [int(c) for c in (sys.argv[2] if len(sys.argv) > 2 else "1,64,1024").split(",")]
print("environment\tcopies\tsteps\tseconds\tenv_steps_per_second")
for count in counts:
    envs = gym.make_vec("CartPole-v1", num_envs=count, vectorization_mode="vector_entry_point")
    envs.reset(seed=0)
    envs.action_space.seed(0)
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(100):
            envs.step(envs.action_space.sample())
        steps += 100
    elapsed = time.perf_counter() - start
    print(f"CartPole-v1\t{count}\t{steps}\t{elapsed:.3f}\t{steps * count / elapsed:.0f}")

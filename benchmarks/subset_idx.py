#!/usr/bin/env python3
"""Writes the playground's 5,000-digit MNIST subset (mnist_5k.csv.gz) as IDX training files, so
that the anchor frameworks train on exactly the same digits. With TEST_DIR, the real test set's
two files are copied beside them; without it, every fifth subset digit stands in for a test set.

    subset_idx.py SUBSET.csv.gz OUT_DIR [TEST_DIR]
"""
import gzip
import os
import shutil
import sys

import numpy as np

subset, out = sys.argv[1], sys.argv[2]
rows = np.loadtxt(gzip.open(subset), delimiter=",", dtype=np.uint8)
os.makedirs(out, exist_ok=True)


def write(name, array):
    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    with gzip.open(f"{out}/{name}", "wb") as f:
        f.write(header + array.tobytes())


write("train-images-idx3-ubyte.gz", rows[:, :784].reshape(-1, 28, 28))
write("train-labels-idx1-ubyte.gz", rows[:, 784])
if len(sys.argv) > 3:
    for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        shutil.copy(f"{sys.argv[3]}/{name}", f"{out}/{name}")
else:
    # Every fifth digit (the file is sorted by label).
    write("t10k-images-idx3-ubyte.gz", rows[::5, :784].reshape(-1, 28, 28))
    write("t10k-labels-idx1-ubyte.gz", rows[::5, 784])

"""Runs ../shared/anchors/opacus_dp_classifier.py with torch's seed SEED instead of its fixed 0,
so that the anchor, like the playground, can be averaged over seeds. Nothing else changes.

usage: opacus_seeded.py SEED ANCHOR_ARGS...
"""
import os, runpy, sys

import torch

seed = int(sys.argv.pop(1))
original = torch.manual_seed
torch.manual_seed = lambda _: original(seed)
anchor = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "anchors", "opacus_dp_classifier.py")
sys.argv[0] = anchor
runpy.run_path(anchor, run_name="__main__")

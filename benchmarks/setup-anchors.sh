#!/usr/bin/env bash
# Creates anchors-venv/ (git-ignored) with the reference frameworks the benchmarks compare
# against, from PyPI. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x anchors-venv/bin/python ] || python3 -m venv anchors-venv
anchors-venv/bin/pip install --quiet --upgrade torch numpy gymnasium opacus==1.6.0 rliable "pandas<3"

# Sourced by the benchmark scripts: from the package root, with the anchors' Python (PYTHON
# overrides it), a release build of the playground, and a temporary folder $out removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-anchors-venv/bin/python}
[ -x "$python" ] || { echo "no anchors environment at $python: run benchmarks/setup-anchors.sh" >&2; exit 1; }
swift build -c release --product playground >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

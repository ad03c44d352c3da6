#!/usr/bin/env bash
# The same runs on a quiet machine and beside a busy loop on one core (`yes > /dev/null`, as a
# laptop with a browser open): wall seconds with the default thread count, with --threads 1,
# and with every core forced (--threads N), on each backend. The default must be no slower than
# one thread, and a busy core must cost at most 2.2× the quiet time.
#
#   benchmarks/busy.sh            # BACKENDS="onednn openblas" by default
#
# Needs the release build and the data of scripts/setup (Fashion-MNIST, the MNIST subset, the
# census surnames); no anchor (the anchors slow down 10–100× beside a busy core, see README).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product playground >/dev/null
binary=.build/release/playground
out=$(mktemp -d)
busy=""
cleanup() {
  [ -z "$busy" ] || kill "$busy" 2>/dev/null || true
  rm -rf "$out"
}
trap cleanup EXIT
cores=$(nproc)

runs=(
  "classify fashion --raw-pixels"
  "rl cartpole"
  "gan mnist --epochs 2"
  "text names --epochs 1 --minutes 0"
)

# Wall seconds of one run (its output discarded).
seconds() {
  local start end
  start=$(date +%s.%N)
  PLAYGROUND_OFFLINE=1 $binary "$@" --quiet --output-dir "$out/runs" >/dev/null 2>"$out/err" || {
    cat "$out/err" >&2
    exit 1
  }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

printf "| run | backend | threads | quiet s | busy s | busy / quiet |\n|---|---|---|---:|---:|---:|\n"
for backend in ${BACKENDS:-onednn openblas}; do
  for run in "${runs[@]}"; do
    for threads in default 1 "$cores"; do
      flags=()
      [ "$threads" = default ] || flags=(--threads "$threads")
      quiet=$(PLAYGROUND_BACKEND=$backend seconds $run "${flags[@]}")
      yes >/dev/null &
      busy=$!
      sleep 0.5
      loaded=$(PLAYGROUND_BACKEND=$backend seconds $run "${flags[@]}")
      kill "$busy"
      wait "$busy" 2>/dev/null || true
      busy=""
      printf "| %s | %s | %s | %.2f | %.2f | %.2f |\n" "$run" "$backend" "$threads" "$quiet" \
        "$loaded" "$(echo "$loaded / $quiet" | bc -l)"
    done
  done
done

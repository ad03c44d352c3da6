# Sourced by the benchmark scripts: from the package root, with the anchors' Python (PYTHON
# overrides it), a release build of the playground, and a temporary folder $out removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-anchors-venv/bin/python}
[ -x "$python" ] || { echo "no anchors environment at $python: run benchmarks/setup-anchors.sh" >&2; exit 1; }
swift build -c release --product playground >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Times COUNT seeds of an rl environment's default agent both ways, one after the other: in one
# process (`playground rl COMMAND --seeds 0-…`: runs in $out/batch, "wall user" seconds in
# $out/batch.time) and as a seeds scenario ($out/seeds.yaml) run as COUNT processes two at a time
# (`playground run --jobs 2`: $out/processes, $out/processes.time).
#   time_seeds_both_ways COMMAND ENVIRONMENT AGENT COUNT DESCRIPTION
time_seeds_both_ways() {
  local command=$1 environment=$2 agent=$3 count=$4 description=$5
  local last=$((count - 1)) binary=.build/release/playground
  {
    echo "description: $description, $count seeds, one process each"
    echo "kind: rl"
    echo "environment: $environment"
    echo "agent: $agent"
    echo "seeds: [$(seq -s ', ' 0 "$last")]"
  } >"$out/seeds.yaml"
  /usr/bin/time -f "%e %U" -o "$out/batch.time" "$binary" rl "$command" --seeds "0-$last" \
    --output-dir "$out/batch" --quiet >/dev/null
  /usr/bin/time -f "%e %U" -o "$out/processes.time" "$binary" run "$out/seeds.yaml" --jobs 2 \
    --output-dir "$out/processes" >/dev/null
}

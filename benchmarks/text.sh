#!/usr/bin/env bash
# Names letter by letter, side by side with PyTorch (shared/anchors/torch_char_rnn_names.py):
# the same character-level LSTM (embedding 32, hidden 128, batch 64, Adam 3e-3, clipping 1.0)
# on the 88,799 census surnames for the same wall-clock budget, one after the other. Prints both
# validation losses (nats per character, 10% held out), the bigram floor, steps/s and the
# share of samples that are new names.
#
#   benchmarks/text.sh [SECONDS] [lstm|gru]
#
# Needs the anchors virtual environment (benchmarks/setup-anchors.sh) and the surnames in the
# cache (scripts/setup).
source "$(dirname "$0")/prelude.sh"
seconds=${1:-150}
cell=${2:-lstm}
names="${XDG_CACHE_HOME:-$HOME/.cache}/playground/names/dist.all.last"
anchor=../shared/anchors/torch_char_rnn_names.py
[ -f "$names" ] || { echo "no surnames at $names: run scripts/setup" >&2; exit 1; }
[ -f "$anchor" ] || { echo "no PyTorch anchor at $anchor" >&2; exit 1; }
minutes=$("$python" -c "print($seconds / 60)")

echo "playground text names --model $cell, $seconds s…"
.build/release/playground text names --model "$cell" --minutes "$minutes" --quiet --output-dir "$out" >/dev/null
echo "PyTorch, $seconds s…"
"$python" "$anchor" "$names" "$seconds" "$cell" 2>/dev/null | tail -1 >"$out/torch.txt"

"$python" - "$out" "$names" <<'PY'
import json, re, sys
out, names = sys.argv[1], sys.argv[2]
torch = open(f"{out}/torch.txt").read()
field = lambda key: float(re.search(key + r" ([0-9.]+)", torch).group(1))
ours = json.load(open(f"{out}/text-names/latest/summary.json"))
known = {line.split()[0].lower() for line in open(names) if line.strip()}
samples = torch.split("samples", 1)[1].split()
print(f"backend: {ours['versions'].get('backend', 'openblas')}, {ours['versions'].get('threads', '?')} threads, {ours['versions'].get('onednn') or ours['versions'].get('openblas_core')}")
print("| run | steps | steps/s | validation nats/char | bigram floor | new samples |")
print("|---|---:|---:|---:|---:|---:|")
print(f"| PyTorch | {field('steps'):.0f} | {field('steps_per_s'):.1f} | {field('valid_nats_per_char'):.4f} | {field('bigram'):.4f} | {sum(s not in known for s in samples)}/{len(samples)} |")
print(f"| playground | {ours['steps']} | {ours['steps_per_second']:.1f} | {ours['valid_nats_per_char']:.4f} | {ours['bigram_nats_per_char']:.4f} | {ours['novel_share'] * 100:.0f}% of {ours['samples']} |")
print(f"validation difference playground − PyTorch: {ours['valid_nats_per_char'] - field('valid_nats_per_char'):+.4f} nats/char; below the bigram floor by {ours['bigram_nats_per_char'] - ours['valid_nats_per_char']:.3f}")
PY

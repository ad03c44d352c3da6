# The two commands of the README's quick start are `make run` and `make test`; both set up first.
SWIFT ?= swift

.PHONY: setup build run test bench

setup:
	scripts/setup

build: setup
	$(SWIFT) build -c release --product playground

# The main job.
run: build
	.build/release/playground bench core

test: setup
	$(SWIFT) test

# Side by side with PyTorch (creates anchors-venv/ on first use).
bench: build
	benchmarks/setup-anchors.sh
	benchmarks/core.sh

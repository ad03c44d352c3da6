# The two commands of the README's quick start are `make run` and `make test`; both set up first.
SWIFT ?= swift

.PHONY: setup build run test bench

setup:
	scripts/setup

build: setup
	$(SWIFT) build -c release --product playground

# The main job: the classic Keras MNIST example.
run: build
	.build/release/playground classify mnist

# The imports against Package.swift, the parsers fuzzed (a fixed number of inputs, a fixed seed),
# then every test on oneDNN and, again on OpenBLAS, the suites that compute with tensors
# (@Suite(.onEveryBackend); the others say `skipped: … ran in the first pass`). The CLI tests run
# the release binary, so that real training runs stay quick.
test: build
	scripts/check-imports
	scripts/fuzz 100000
	PLAYGROUND_BACKEND=onednn PLAYGROUND_BINARY="$(CURDIR)/.build/release/playground" $(SWIFT) test
	PLAYGROUND_TEST_PASS=repeat PLAYGROUND_BACKEND=openblas \
	  PLAYGROUND_BINARY="$(CURDIR)/.build/release/playground" $(SWIFT) test --skip-build

# Side by side with the anchor frameworks (creates anchors-venv/ on first use).
bench: build
	benchmarks/setup-anchors.sh
	benchmarks/core.sh

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

# The tests build once, optimised, in their own folder (-enable-testing lets their @testable
# imports see internal API, so the library is not built a second time unoptimised; the debug
# assertion configuration keeps precondition messages, which tests read); the CLI tests run that
# build's binary, so that real training runs stay quick.
TEST_BUILD = -c release -Xswiftc -enable-testing -Xswiftc -assert-config -Xswiftc Debug \
  --scratch-path .build-test
TEST_BINARY = PLAYGROUND_BINARY="$(CURDIR)/.build-test/release/playground"

# The imports against Package.swift, the build, the parsers fuzzed (a fixed number of inputs, a
# fixed seed), then every test on oneDNN and, again on OpenBLAS, the suites that compute with
# tensors (@Suite(.onEveryBackend); the others say `skipped: … ran in the first pass`).
test: setup
	scripts/check-imports
	$(SWIFT) build $(TEST_BUILD) --build-tests
	scripts/fuzz 50000
	PLAYGROUND_BACKEND=onednn $(TEST_BINARY) $(SWIFT) test $(TEST_BUILD) --skip-build
	PLAYGROUND_TEST_PASS=repeat PLAYGROUND_BACKEND=openblas $(TEST_BINARY) \
	  $(SWIFT) test $(TEST_BUILD) --skip-build

# Side by side with the anchor frameworks (creates anchors-venv/ on first use).
bench: build
	benchmarks/setup-anchors.sh
	benchmarks/core.sh

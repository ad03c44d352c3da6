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

# The tests (scripts/test): the imports against Package.swift, one optimised build in its own
# folder (-enable-testing lets the @testable imports see internal API, so the library is not
# built a second time unoptimised; the debug assertion configuration keeps precondition
# messages, which tests read), every test on oneDNN, again on OpenBLAS the suites that compute
# with tensors, and the fuzzers beside them at the lowest priority.
test: setup
	scripts/test

# Side by side with the anchor frameworks (creates anchors-venv/ on first use).
bench: build
	benchmarks/setup-anchors.sh
	benchmarks/core.sh

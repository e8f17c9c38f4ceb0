# Quick start: `make run` runs the default MNIST study, `make test` runs the tests.
# Both install missing Debian packages first. `make test-spice` checks the wire-resistance
# solver against ngspice, which only that target installs. `make test-slurm` runs a study
# through the Slurm scripts in scripts/slurm/ on a single-node Slurm it starts (needs root).

SWIFT ?= swift
CONFIG ?= configs/mnist-mlp.json
# The release binary uses this machine's vector instructions (AVX-512 or AVX2 for the DAC
# and ADC loops); results are the same bit for bit. `make build CPU=x86-64` builds a
# binary that runs on any x86-64 machine.
CPU ?= native
BINARY := .build/release/reram-emu
# `make fuzz` runs each libFuzzer target for FUZZ_SECONDS; see docs/fuzzing.md.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= ONNX IDX CIFAR StudyConfig

.PHONY: deps build run test test-spice test-slurm bench fuzz clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product reram-emu -Xswiftc -target-cpu -Xswiftc $(CPU)

run: build
	$(BINARY) run $(CONFIG)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-xctest --skip CrossbarCircuitTests

test-spice:
	@scripts/install-deps.sh ngspice
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-xctest --filter CrossbarCircuitTests

test-slurm: deps
	SWIFT=$(SWIFT) scripts/slurm/test-local-cluster.sh

bench: build
	$(BINARY) bench

# One target at a time; each prints libFuzzer's final stats (executions, executions per
# second). Fails if any target found a crash, and names its log and input.
fuzz: deps
	scripts/fuzz/build.sh $(FUZZ_TARGETS)
	@status=0; for target in $(FUZZ_TARGETS); do \
		scripts/fuzz/run.sh $$target $(FUZZ_SECONDS) || status=1; \
	done; exit $$status

clean:
	rm -rf .build results

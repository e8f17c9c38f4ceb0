# Quick start: `make run` runs the default MNIST study, `make test` runs the tests.
# Both install missing Debian packages first. `make test-spice` checks the wire-resistance
# solver against ngspice, which only that target installs. `make test-slurm` runs a study
# through the Slurm scripts in scripts/slurm/ on a single-node Slurm it starts (needs root).

SWIFT ?= swift
CONFIG ?= configs/mnist-mlp.json
BINARY := .build/release/reram-emu

.PHONY: deps build run test test-spice test-slurm bench clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product reram-emu

run: build
	$(BINARY) run $(CONFIG)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip CrossbarCircuitTests

test-spice:
	@scripts/install-deps.sh ngspice
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --filter CrossbarCircuitTests

test-slurm: deps
	SWIFT=$(SWIFT) scripts/slurm/test-local-cluster.sh

bench: build
	$(BINARY) bench

clean:
	rm -rf .build results

# Quick start: `make run` runs the default MNIST study, `make test` runs the tests.
# Both install missing Debian packages first.

SWIFT ?= swift
CONFIG ?= configs/mnist-mlp.json
BINARY := .build/release/reram-emu

.PHONY: deps build run test bench clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product reram-emu

run: build
	$(BINARY) run $(CONFIG)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: build
	$(BINARY) bench

clean:
	rm -rf .build results

#!/usr/bin/env bash
# Builds the libFuzzer targets into .build/fuzz/.
#
# SwiftPM cannot give one product -sanitize=fuzzer, so this script calls swiftc itself.
# The package's library modules (DeviceModel, Crossbar, Peripherals, Accelerator,
# ModelImport) become static archives built with -sanitize=fuzzer,address, so the
# fuzzer measures coverage inside them and ASan checks their memory accesses. They are built
# with -enable-testing, so a fuzz entry point can reach internal parsers through
# `@testable import`. Each Fuzz/<Target>/main.swift then links against them.
#
# A module is rebuilt only when one of its sources, or a module it imports, is newer
# than its archive. Usage: scripts/fuzz/build.sh [target...]; no target builds all four.
set -euo pipefail

cd "$(dirname "$0")/../.."
SWIFTC=${SWIFTC:-swiftc}
OUT=.build/fuzz
mkdir -p "$OUT"

# -O keeps Swift's bounds and overflow checks (only -Ounchecked drops them), so the
# optimized build still traps wherever a debug build would. -g keeps symbols for ASan and
# crash reports. lld links the targets, because gold warns about each ASan local symbol.
COMMON=(-O -g -sanitize=fuzzer,address -parse-as-library -enable-testing
        -swift-version 5 -I "$OUT" -I Sources/CGSL -I Sources/CBLAS -I Sources/CZlib)

# Libraries in dependency order, each with the modules it imports.
LIBS=(DeviceModel Crossbar Peripherals Accelerator ModelImport)
declare -A DEPS=(
    [DeviceModel]=""
    [Crossbar]="DeviceModel"
    [Peripherals]="DeviceModel"
    [Accelerator]="DeviceModel Crossbar Peripherals"
    [ModelImport]="DeviceModel Crossbar Peripherals Accelerator"
)

# True when $1 is missing or older than any of the remaining files.
stale() {
    local target=$1
    shift
    [[ -e $target ]] || return 0
    local f
    for f in "$@"; do
        [[ $f -nt $target ]] && return 0
    done
    return 1
}

build_library() {
    local module=$1
    local archive=$OUT/lib$module.a
    local sources
    mapfile -t sources < <(find "Sources/$module" -name '*.swift' | sort)
    local inputs=("${sources[@]}")
    local dep
    for dep in ${DEPS[$module]}; do inputs+=("$OUT/lib$dep.a"); done
    if stale "$archive" "${inputs[@]}"; then
        echo "fuzz build: $module"
        "$SWIFTC" "${COMMON[@]}" -module-name "$module" -emit-library -static \
            -emit-module -emit-module-path "$OUT/$module.swiftmodule" \
            -o "$archive" "${sources[@]}"
    fi
}

build_target() {
    local target=$1
    local binary=$OUT/fuzz-$target
    local main=Fuzz/$target/main.swift
    local archives=()
    local lib
    for lib in "${LIBS[@]}"; do archives+=("$OUT/lib$lib.a"); done
    if stale "$binary" "$main" "${archives[@]}"; then
        echo "fuzz build: fuzz-$target"
        # Archives last and highest layer first, so the static linker resolves each
        # module's references from the ones below it.
        "$SWIFTC" "${COMMON[@]}" -use-ld=lld -module-name "Fuzz$target" -o "$binary" "$main" \
            "$OUT/libModelImport.a" "$OUT/libAccelerator.a" "$OUT/libPeripherals.a" \
            "$OUT/libCrossbar.a" "$OUT/libDeviceModel.a" -lz -lgsl -lopenblas
    fi
}

TARGETS=("$@")
[[ ${#TARGETS[@]} -gt 0 ]] || TARGETS=(ONNX IDX CIFAR StudyConfig)
for lib in "${LIBS[@]}"; do build_library "$lib"; done
for target in "${TARGETS[@]}"; do build_target "$target"; done

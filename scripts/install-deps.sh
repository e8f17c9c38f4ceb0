#!/usr/bin/env bash
# Installs the Debian packages reram-emu builds against and gnuplot-nox, which draws the
# plots and which the report tests need, skipping those already present.
# Usage: scripts/install-deps.sh [extra packages...]
set -euo pipefail

packages=(libgsl-dev libopenblas-dev libsuitesparse-dev zlib1g-dev pkg-config gnuplot-nox "$@")
missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing Debian packages: ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "error: need root or sudo to install ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

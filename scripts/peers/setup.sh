#!/usr/bin/env bash
# Creates the Python environment for the peer benchmarks (scripts/peers/), outside the
# repository. The peer tools are never part of the build, the tests or CI.
#
# Usage: scripts/peers/setup.sh [VENV_DIR]        (default: /work/peers-venv)
#
# Pins torch==2.10.0 and aihwkit==1.1.0: the aihwkit 1.1.0 wheel for CPython 3.11 runs
# with torch 2.10.0, and with newer torch it fails at the first analog layer ("weights
# must be a CPU tensor").
#
# torch is large because the PyPI wheel pulls in CUDA libraries. If BASE_VENV (default
# /work/venv) already has torch 2.10.0, numpy and onnx, the new environment reuses them.
# A .pth file appends BASE_VENV's site-packages to the new search path, so the new
# environment's own packages come first and BASE_VENV is never written to. Otherwise, or
# with BASE_VENV=none, everything is installed into VENV_DIR from PyPI.
#
# aihwkit is installed with --no-deps plus the modules it imports at run time (scipy,
# requests, tqdm, protobuf): its declared dependencies also list build and training
# tools (cmake, scikit-build, pybind11, mypy, torchvision, scikit-learn) that the
# benchmark does not import: the import check at the end covers what it uses.
#
# Environment: PYTHON (default python3.11, or BASE_VENV's python) and BASE_VENV.
set -euo pipefail

TORCH_VERSION=2.10.0
AIHWKIT_VERSION=1.1.0

venv_dir=${1:-/work/peers-venv}
base_venv=${BASE_VENV:-/work/venv}

repo_root=$(cd "$(dirname "$0")/../.." && pwd)
case "$(realpath -m "$venv_dir")/" in
    "$repo_root"/*) echo "error: $venv_dir is inside the repository; put the environment outside it" >&2; exit 1 ;;
esac

reuse_base=no
if [ "$base_venv" != none ] && [ -x "$base_venv/bin/python" ]; then
    if "$base_venv/bin/python" - "$TORCH_VERSION" <<'EOF' 2>/dev/null; then
import sys
import numpy, onnx, torch
sys.exit(0 if torch.__version__.split("+")[0] == sys.argv[1] else 1)
EOF
        reuse_base=yes
    fi
fi

if [ "$reuse_base" = yes ]; then
    python=${PYTHON:-$base_venv/bin/python}
else
    python=${PYTHON:-python3.11}
fi

if [ ! -x "$venv_dir/bin/python" ]; then
    echo "creating $venv_dir with $python" >&2
    "$python" -m venv "$venv_dir"
fi
pip=("$venv_dir/bin/python" -m pip install --quiet --disable-pip-version-check)

if [ "$reuse_base" = yes ]; then
    base_site=$("$base_venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    own_site=$("$venv_dir/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    echo "$base_site" > "$own_site/_peers_base_venv.pth"
    echo "reusing torch, numpy and onnx from $base_site" >&2
else
    echo "installing torch==$TORCH_VERSION, numpy and onnx from PyPI (an estimated several GB with the CUDA libraries)" >&2
    "${pip[@]}" "torch==$TORCH_VERSION" numpy onnx
fi

"${pip[@]}" --no-deps "aihwkit==$AIHWKIT_VERSION"
"${pip[@]}" scipy requests tqdm protobuf

"$venv_dir/bin/python" - "$TORCH_VERSION" "$AIHWKIT_VERSION" <<'EOF'
import sys
import aihwkit, numpy, onnx, torch
from aihwkit.simulator.configs import InferenceRPUConfig, TorchInferenceRPUConfig  # noqa: F401
from aihwkit.nn.conversion import convert_to_analog  # noqa: F401
if torch.__version__.split("+")[0] != sys.argv[1] or aihwkit.__version__ != sys.argv[2]:
    sys.exit(f"error: got torch {torch.__version__} and aihwkit {aihwkit.__version__}, "
             f"want {sys.argv[1]} and {sys.argv[2]}")
print(f"ok: python {sys.version.split()[0]}, torch {torch.__version__}, aihwkit {aihwkit.__version__}, "
      f"numpy {numpy.__version__}, onnx {onnx.__version__}")
EOF
echo "run: $venv_dir/bin/python scripts/peers/aihwkit_bench.py --help" >&2

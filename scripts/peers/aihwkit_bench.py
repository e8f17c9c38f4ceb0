#!/usr/bin/env python3
"""Time reram-emu's bench workloads on IBM aihwkit, as a peer comparison.

A peer tool: never part of the build, the tests or CI. Set up its environment (outside
the repository) with scripts/peers/setup.sh, then run from the repository root:

    /work/peers-venv/bin/python scripts/peers/aihwkit_bench.py [--workload mnist] \\
        [--models-dir /work/main/models] [--output results/peers/aihwkit.json]

Each workload runs on both aihwkit tile back ends, the C++ RPUCuda simulator tile
(InferenceRPUConfig, InferenceTile) and the pure-torch tile (TorchInferenceRPUConfig,
TorchInferenceTile), once per thread count. Each (workload, back end, threads) run is
its own subprocess, so OMP_NUM_THREADS and the BLAS thread variables take effect
before torch and the C++ library load. A trial is what `reram-emu bench` times:
program every tile once with fresh variation (program_analog_weights), then infer the
whole image set. Warm-up trials are not timed.

The settings mapping (what each reram-emu setting becomes in aihwkit) is SETTINGS below
and goes into the JSON. The JSON is merged into an existing output file, so the
workloads can be run at different times.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import gzip
import struct

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

LEVELS = 64
VARIATION = 0.05
DYNAMIC_RANGE = 10
TILE = 128
DAC_BITS = 8
ADC_BITS = 8
ADC_PERCENTILE = 99.99
GMAX_US = 100.0  # reram-emu's configs: Gmax = 1e-4 S; only the ratio Gmax / Gmin matters
GMIN_US = GMAX_US / DYNAMIC_RANGE

# The workloads of `reram-emu bench` (BenchCommand.swift) with the files and
# normalization of configs/mnist-mlp.json and configs/cifar10-cnn.json.
WORKLOADS = {
    "mnist": {
        "model": "mnist-mlp.onnx",
        "format": "idx",
        "test": ("mnist/t10k-images-idx3-ubyte.gz", "mnist/t10k-labels-idx1-ubyte.gz"),
        "calibration": ("mnist/train-first1000-images-idx3-ubyte.gz",
                        "mnist/train-first1000-labels-idx1-ubyte.gz"),
        "images": 10_000,
        "calibration_limit": 1000,
        "mean": [0.1307],
        "std": [0.3081],
        "batch_size": 500,
        "trials": 3,
    },
    "cifar10": {
        "model": "cifar10-cnn.onnx",
        "format": "cifar10",
        "test": ("cifar10/test_batch_first1000.bin", None),
        "calibration": ("cifar10/data_batch_1_first1000.bin", None),
        "images": 1_000,
        "calibration_limit": 500,
        "mean": [0.4914, 0.4822, 0.4465],
        "std": [0.2470, 0.2435, 0.2616],
        "batch_size": 100,
        "trials": 2,
    },
}

BACKENDS = {
    "cpp": "InferenceRPUConfig: C++ RPUCuda simulator tile (InferenceTile) on CPU",
    "torch": "TorchInferenceRPUConfig: pure-torch simulator tile (TorchInferenceTile)",
}

SETTINGS = """\
reram-emu bench settings -> aihwkit 1.1.0 (both back ends get the same rpu_config fields):
- 128 x 128 tiles -> mapping.max_input_size = mapping.max_output_size = 128. aihwkit
  splits a layer evenly (784 inputs -> 7 tiles of 112 rows), reram-emu fills tiles
  (6 x 128 + 16). The tile count is the same.
- weights on differential pairs, per-layer scale w_max = max |W| -> the tiles hold
  W / w_max (set_weights(apply_weight_scaling=False)) and the digital mapping scale is
  w_max (set_scales). A custom conductance converter maps w in [-1, 1] to
  G+ = Gmin + max(w, 0) (Gmax - Gmin), G- = Gmin + max(-w, 0) (Gmax - Gmin), Gmax =
  100 uS, Gmin = 10 uS (dynamic range 10, reram-emu's bench grid point).
- 64 levels and 5 % relative programming variation, a fresh draw per trial -> a custom
  noise model (BaseNoiseModel subclass) used by program_analog_weights(): each cell is
  clamped to [Gmin, Gmax], snapped to the nearest of 64 evenly spaced levels (ties up),
  then G = max(0, G (1 + 0.05 e)), e ~ N(0, 1) from torch's generator. No drift, no
  read noise (drift_analog_weights is never called), drift_compensation = None.
- 8-bit DAC with a per-layer input full scale x_fs (max |input| of the float network
  over the calibration images) -> pre_post.input_range enabled, fixed (not learned,
  init_from_data = 0) at x_fs. Inputs are clipped to +-x_fs, divided by it, and
  forward.inp_bound = 1, forward.inp_res = 1 / (2^8 - 2): a step of 2 / 254 = 1 / 127,
  so 255 symmetric codes like reram-emu's L = 2^(b-1) - 1 = 127.
  forward.noise_management = NONE (no per-vector input scaling).
- 8-bit ADC with the calibrated range that `reram-emu bench` uses (99.99th percentile)
  -> forward.out_bound per layer = the 99.99th percentile of the magnitudes of all
  the layer's tile outputs (normalized units) on the calibration images, with the
  tiles programmed without variation and read with an ideal ADC (out_res = -1), the
  element ceil(p / 100 (n - 1)) of the sorted magnitudes as in reram-emu.
  forward.out_res = 1 / (2^8 - 2), so the step is out_bound / 127 and outputs clip at
  +-out_bound. forward.bound_management = NONE (no re-run with scaled inputs).
- no other non-ideality: forward.out_noise = 0, inp_noise = 0, w_noise = 0
  (w_noise_type NONE), ir_drop = 0, out_nonlinearity = 0, bias digital
  (mapping.digital_bias = True), no weight modifier, no clipping, no remapping.
- batch norms are folded into the preceding convolution at import, as in reram-emu.
- inference batch size: 500 (MNIST) and 100 (CIFAR-10), as in configs/*.json.
"""


def parse_arguments():
    parser = argparse.ArgumentParser(
        description="Time reram-emu's bench workloads (MNIST MLP, CIFAR-10 CNN) on IBM aihwkit's "
                    "C++ and torch tiles. A peer tool, never part of CI.",
        epilog="Environment: scripts/peers/setup.sh [VENV_DIR] creates one outside the repository "
               "(default /work/peers-venv) with torch==2.10.0 and aihwkit==1.1.0 pinned together. "
               "If /work/venv already has torch 2.10.0, numpy and onnx, it reuses them through a "
               ".pth file (BASE_VENV=none installs everything from PyPI).",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workload", choices=["mnist", "cifar10", "all"], default="all",
                        help="workloads to run (default: all; a workload whose model is missing is skipped)")
    parser.add_argument("--backends", default="cpp,torch", help="comma-separated: cpp, torch (default: both)")
    parser.add_argument("--threads", default="1,2", help="comma-separated thread counts (default: 1,2)")
    parser.add_argument("--trials", type=int, help="timed trials per run (default: 3 for MNIST, 2 for CIFAR-10)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed trials before the timed ones (default: 1)")
    parser.add_argument("--models-dir", default=os.path.join(REPO_ROOT, "models"),
                        help="folder with mnist-mlp.onnx and cifar10-cnn.onnx (default: the repository's models/)")
    parser.add_argument("--data-dir", default=os.path.join(REPO_ROOT, "data"),
                        help="folder with mnist/ and cifar10/ (default: the repository's data/)")
    parser.add_argument("--output", default=os.path.join(REPO_ROOT, "results", "peers", "aihwkit.json"),
                        help="JSON file to merge the results into (default: results/peers/aihwkit.json)")
    parser.add_argument("--seed", type=int, default=1, help="torch seed of trial 0; trial t uses seed + t (default: 1)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    return parser.parse_args()


# ---------------------------------------------------------------- data and model

def read_idx_gz(path):
    """Return the uint8 array of a gzip'd IDX file (MNIST layout)."""
    import numpy as np

    with gzip.open(path, "rb") as file:
        raw = file.read()
    magic = struct.unpack(">I", raw[:4])[0]
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_images(workload, data_dir, split):
    """Return the normalized float32 images (N x C x H x W) and int64 labels of "test" or "calibration"."""
    import numpy as np

    spec = WORKLOADS[workload]
    images_file, labels_file = spec[split]
    limit = spec["images"] if split == "test" else spec["calibration_limit"]
    if spec["format"] == "idx":
        images = read_idx_gz(os.path.join(data_dir, images_file))[:, None, :, :]
        labels = read_idx_gz(os.path.join(data_dir, labels_file)).astype(np.int64)
    else:
        records = np.fromfile(os.path.join(data_dir, images_file), dtype=np.uint8).reshape(-1, 3073)
        labels = records[:, 0].astype(np.int64)
        images = records[:, 1:].reshape(-1, 3, 32, 32)
    mean = np.asarray(spec["mean"], dtype=np.float32).reshape(1, -1, 1, 1)
    std = np.asarray(spec["std"], dtype=np.float32).reshape(1, -1, 1, 1)
    x = (images[:limit].astype(np.float32) / 255.0 - mean) / std
    return x, labels[:limit]


def onnx_to_torch(path):
    """Build a torch nn.Sequential from a chain-shaped ONNX graph, folding batch norms.

    Supports the operators of the bundled models: Conv, BatchNormalization (folded into
    the preceding Conv or Gemm), Relu, MaxPool, Flatten, Reshape to (batch, -1), Gemm,
    Dropout and Identity. Any other operator or a branching graph raises ValueError.
    """
    import numpy as np
    import onnx
    import torch
    from onnx import numpy_helper

    model = onnx.load(path)
    weights = {t.name: numpy_helper.to_array(t).astype(np.float32) for t in model.graph.initializer}
    constants = {}
    layers = []
    current = model.graph.input[0].name

    def attribute(node, name, default):
        for a in node.attribute:
            if a.name == name:
                return onnx.helper.get_attribute_value(a)
        return default

    for node in model.graph.node:
        if node.op_type == "Constant":
            constants[node.output[0]] = numpy_helper.to_array(attribute(node, "value", None))
            continue
        if node.input[0] != current:
            raise ValueError(f"{path}: node {node.name} ({node.op_type}) does not take the output of the "
                             f"previous node ({current}). Only chain-shaped graphs are supported.")
        op = node.op_type
        if op == "Conv":
            w = torch.from_numpy(weights[node.input[1]])
            bias = torch.from_numpy(weights[node.input[2]]) if len(node.input) > 2 and node.input[2] else None
            if attribute(node, "group", 1) != 1 or any(d != 1 for d in attribute(node, "dilations", [1, 1])):
                raise ValueError(f"{path}: grouped or dilated Conv {node.name} is not supported")
            pads = attribute(node, "pads", [0, 0, 0, 0])
            if pads[0] != pads[2] or pads[1] != pads[3]:
                raise ValueError(f"{path}: asymmetric padding of Conv {node.name} is not supported")
            conv = torch.nn.Conv2d(w.shape[1], w.shape[0], tuple(w.shape[2:]),
                                   stride=tuple(attribute(node, "strides", [1, 1])),
                                   padding=(pads[0], pads[1]), bias=True)
            conv.weight.data.copy_(w)
            conv.bias.data.copy_(bias if bias is not None else torch.zeros(w.shape[0]))
            layers.append(conv)
        elif op == "Gemm":
            w = torch.from_numpy(weights[node.input[1]])
            if attribute(node, "transB", 0) != 1 or attribute(node, "transA", 0) != 0:
                raise ValueError(f"{path}: Gemm {node.name} must have transA = 0 and transB = 1")
            if attribute(node, "alpha", 1.0) != 1.0 or attribute(node, "beta", 1.0) != 1.0:
                raise ValueError(f"{path}: Gemm {node.name} must have alpha = beta = 1")
            linear = torch.nn.Linear(w.shape[1], w.shape[0], bias=True)
            linear.weight.data.copy_(w)
            if len(node.input) > 2 and node.input[2]:
                linear.bias.data.copy_(torch.from_numpy(weights[node.input[2]]))
            else:
                linear.bias.data.zero_()
            layers.append(linear)
        elif op == "BatchNormalization":
            gamma, beta, mean, var = (torch.from_numpy(weights[name]) for name in node.input[1:5])
            epsilon = attribute(node, "epsilon", 1e-5)
            if not layers or not isinstance(layers[-1], (torch.nn.Conv2d, torch.nn.Linear)):
                raise ValueError(f"{path}: BatchNormalization {node.name} does not follow a Conv or Gemm")
            # reram-emu's folding: s = gamma / sqrt(var + eps), W' = s W, b' = s (b - mean) + beta.
            layer = layers[-1]
            scale = gamma / torch.sqrt(var + epsilon)
            layer.weight.data.mul_(scale.view(-1, *([1] * (layer.weight.dim() - 1))))
            layer.bias.data.copy_(scale * (layer.bias.data - mean) + beta)
        elif op == "Relu":
            layers.append(torch.nn.ReLU())
        elif op == "MaxPool":
            pads = attribute(node, "pads", [0, 0, 0, 0])
            layers.append(torch.nn.MaxPool2d(tuple(attribute(node, "kernel_shape", None)),
                                             stride=tuple(attribute(node, "strides", [1, 1])),
                                             padding=(pads[0], pads[1])))
        elif op in ("Flatten", "Reshape"):
            if op == "Flatten" and attribute(node, "axis", 1) != 1:
                raise ValueError(f"{path}: Flatten {node.name} must have axis = 1")
            if op == "Reshape":
                shape = constants.get(node.input[1], weights.get(node.input[1]))
                if shape is None or len(shape) != 2 or shape[1] != -1:
                    raise ValueError(f"{path}: Reshape {node.name} must flatten to (batch, -1)")
            layers.append(torch.nn.Flatten())
        elif op in ("Dropout", "Identity"):
            pass
        else:
            raise ValueError(f"{path}: operator {op} ({node.name}) is not supported")
        current = node.output[0]
    return torch.nn.Sequential(*layers).eval()


# ---------------------------------------------------------------- aihwkit model

def make_noise_model(sigma):
    """Return the aihwkit noise model for 64 levels and relative variation sigma."""
    import torch
    from aihwkit.inference.converter.conductance import SinglePairConductanceConverter
    from aihwkit.inference.noise.base import BaseNoiseModel

    class LayerScaledPairConverter(SinglePairConductanceConverter):
        """Differential pair for weights already divided by the layer's max |W|.

        The stock converter rescales by the max |w| of each tile; here w = +-1 maps to
        Gmax on every tile, as reram-emu's per-layer scale does.
        """

        def convert_to_conductances(self, weights):
            scale_ratio = torch.tensor(self.g_max - self.g_min)
            scaled = weights * scale_ratio
            conductances = [scaled.clamp(min=0.0, max=self.g_max - self.g_min) + self.g_min,
                            (-scaled).clamp(min=0.0, max=self.g_max - self.g_min) + self.g_min]
            return conductances, {"scale_ratio": scale_ratio}

    class QuantizedRelativeVariation(BaseNoiseModel):
        """Programming model: snap to evenly spaced levels, then G (1 + sigma e)."""

        def __init__(self, levels, sigma, g_max, g_min):
            super().__init__(LayerScaledPairConverter(g_max=g_max, g_min=g_min))
            self.levels = levels
            self.sigma = sigma
            self.g_max = g_max
            self.g_min = g_min

        @torch.no_grad()
        def apply_programming_noise_to_conductance(self, g_target):
            step = (self.g_max - self.g_min) / (self.levels - 1)
            g = g_target.clamp(min=self.g_min, max=self.g_max)
            g = self.g_min + torch.floor((g - self.g_min) / step + 0.5) * step
            return (g * (1.0 + self.sigma * torch.randn_like(g))).clamp(min=0.0)

        def generate_drift_coefficients(self, g_target):
            return None

        def apply_drift_noise_to_conductance(self, g_prog, drift_noise_param, t_inference):
            return g_prog

    return QuantizedRelativeVariation(LEVELS, sigma, GMAX_US, GMIN_US)


def weight_layers(model):
    import torch

    return [m for m in model if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]


def input_full_scales(model, calibration):
    """Return each weight layer's max |input| in the float network over the calibration images."""
    import torch

    layers = weight_layers(model)
    scales = [0.0] * len(layers)
    hooks = []
    for index, layer in enumerate(layers):
        def hook(_module, inputs, _output, index=index):
            scales[index] = max(scales[index], inputs[0].abs().max().item())
        hooks.append(layer.register_forward_hook(hook))
    with torch.no_grad():
        model(calibration)
    for h in hooks:
        h.remove()
    return scales


def to_analog(model, backend, full_scales, out_bounds=None, sigma=VARIATION):
    """Convert the float model to aihwkit with the settings of SETTINGS.

    out_bounds are the per-layer ADC ranges in normalized units; None gives an ideal
    ADC (no quantization, no clipping), as the range calibration needs.
    """
    import copy
    import torch
    from aihwkit.nn.conversion import convert_to_analog
    from aihwkit.simulator.configs import InferenceRPUConfig, TorchInferenceRPUConfig
    from aihwkit.simulator.parameters.enums import BoundManagementType, NoiseManagementType, WeightNoiseType

    config = (InferenceRPUConfig if backend == "cpp" else TorchInferenceRPUConfig)()
    config.mapping.max_input_size = TILE
    config.mapping.max_output_size = TILE
    config.mapping.digital_bias = True
    config.mapping.weight_scaling_omega = 1.0  # creates the digital scale, overwritten per layer below
    config.mapping.weight_scaling_columnwise = False
    config.forward.inp_bound = 1.0
    config.forward.inp_res = 1 / (2**DAC_BITS - 2)
    config.forward.out_res = 1 / (2**ADC_BITS - 2) if out_bounds is not None else -1.0
    config.forward.inp_noise = 0.0
    config.forward.out_noise = 0.0
    config.forward.w_noise = 0.0
    config.forward.w_noise_type = WeightNoiseType.NONE
    config.forward.ir_drop = 0.0
    config.forward.noise_management = NoiseManagementType.NONE
    config.forward.bound_management = BoundManagementType.NONE
    config.pre_post.input_range.enable = True
    config.pre_post.input_range.learn_input_range = False
    config.pre_post.input_range.init_from_data = 0
    config.noise_model = make_noise_model(sigma)
    config.drift_compensation = None

    digital = copy.deepcopy(model)
    layers = weight_layers(digital)
    for index, (layer, full_scale) in enumerate(zip(layers, full_scales)):
        layer.reram_out_bound = float(out_bounds[index]) if out_bounds is not None else 1e9
        layer.reram_full_scale = full_scale

    def per_layer(_name, module, rpu_config):
        # Also called for containers, which have no tiles.
        if not hasattr(module, "reram_out_bound"):
            return rpu_config
        rpu_config.forward.out_bound = module.reram_out_bound
        rpu_config.pre_post.input_range.init_value = module.reram_full_scale
        return rpu_config

    analog = convert_to_analog(digital, config, specific_rpu_config_fun=per_layer)
    analog_layers = list(analog.analog_layers())
    if len(analog_layers) != len(layers):
        raise RuntimeError(f"expected {len(layers)} analog layers, found {len(analog_layers)}")
    with torch.no_grad():
        for layer, analog_layer in zip(layers, analog_layers):
            w_max = layer.weight.abs().max().item()
            for tile in analog_layer.analog_tiles():
                weight, _ = tile.get_weights(apply_weight_scaling=True)
                tile.set_weights(weight / w_max, apply_weight_scaling=False)
                tile.set_scales(torch.tensor([w_max]))
    return analog.eval()


def calibrated_out_bounds(model, backend, full_scales, calibration, batch_size):
    """Return each layer's calibrated ADC range, as reram-emu's bench computes it.

    The tiles are programmed without variation and read with an ideal ADC, the
    calibration images run through them, and a layer's range is the ADC_PERCENTILE
    percentile (element ceil(p / 100 (n - 1)) of the sorted magnitudes, as in
    MonteCarloStudy.calibrated) of the tile outputs of all its tiles.
    """
    import numpy as np
    import torch

    analog = to_analog(model, backend, full_scales, out_bounds=None, sigma=0.0)
    magnitudes = []
    for analog_layer in analog.analog_layers():
        store = []
        magnitudes.append(store)
        for tile in analog_layer.analog_tiles():
            def post_forward(x_output, dim, is_test=False, ctx=None, original=tile.post_forward, store=store):
                store.append(x_output.detach().abs().flatten().numpy().copy())
                return original(x_output, dim, is_test, ctx)
            tile.post_forward = post_forward
    analog.program_analog_weights()
    with torch.no_grad():
        for start in range(0, len(calibration), batch_size):
            analog(calibration[start:start + batch_size])
    bounds = []
    for store in magnitudes:
        values = np.concatenate(store)
        position = min(len(values) - 1, int(np.ceil(ADC_PERCENTILE / 100 * (len(values) - 1))))
        bounds.append(max(float(np.partition(values, position)[position]), 1e-30))
    return bounds


# ---------------------------------------------------------------- one run (child process)

def run_child(spec):
    """Run the warm-up and timed trials of one workload, back end and thread count, and return the figures."""
    import numpy as np
    import torch

    threads = spec["threads"]
    torch.set_num_threads(threads)
    workload = spec["workload"]
    batch_size = WORKLOADS[workload]["batch_size"]
    model = onnx_to_torch(os.path.join(spec["models_dir"], WORKLOADS[workload]["model"]))
    x_test, y_test = load_images(workload, spec["data_dir"], "test")
    x_cal, _ = load_images(workload, spec["data_dir"], "calibration")
    x_test = torch.from_numpy(x_test)
    y_test = torch.from_numpy(y_test)

    def accuracy(network):
        correct = 0
        with torch.no_grad():
            for start in range(0, len(x_test), batch_size):
                logits = network(x_test[start:start + batch_size])
                correct += (logits.argmax(1) == y_test[start:start + batch_size]).sum().item()
        return correct / len(x_test)

    start = time.perf_counter()
    float_accuracy = accuracy(model)
    float_seconds = time.perf_counter() - start
    x_cal = torch.from_numpy(x_cal)
    full_scales = input_full_scales(model, x_cal)
    out_bounds = calibrated_out_bounds(model, spec["backend"], full_scales, x_cal, batch_size)
    start = time.perf_counter()
    analog = to_analog(model, spec["backend"], full_scales, out_bounds)
    convert_seconds = time.perf_counter() - start

    program_seconds = []

    def trial(seed):
        torch.manual_seed(seed)
        start = time.perf_counter()
        analog.program_analog_weights()
        program_seconds.append(time.perf_counter() - start)
        return accuracy(analog)

    for w in range(spec["warmup"]):
        trial(spec["seed"] + 1_000_000 + w)
    del program_seconds[:]
    seconds = []
    accuracies = []
    for t in range(spec["trials"]):
        start = time.perf_counter()
        accuracies.append(trial(spec["seed"] + t))
        seconds.append(time.perf_counter() - start)
    return {
        "seconds_per_trial": float(np.mean(seconds)),
        "trial_seconds": seconds,
        "program_seconds_per_trial": float(np.mean(program_seconds)),
        "accuracies": accuracies,
        "mean_accuracy": float(np.mean(accuracies)),
        "float_accuracy": float_accuracy,
        "float_seconds": float_seconds,
        "convert_seconds": convert_seconds,
        "input_full_scales": full_scales,
        "adc_out_bounds": out_bounds,
        "tiles": sum(len(list(layer.analog_tiles())) for layer in analog.analog_layers()),
        "torch_threads": torch.get_num_threads(),
    }


# ---------------------------------------------------------------- driver

def machine_description():
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as file:
            for line in file:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def spawn(spec):
    """Run one spec in a fresh interpreter with the thread variables set, and return its result."""
    env = dict(os.environ)
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = str(spec["threads"])
    completed = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", json.dumps(spec)],
                               env=env, stdout=subprocess.PIPE, text=True)
    if completed.returncode != 0:
        raise SystemExit(f"error: run {spec['workload']}/{spec['backend']}/{spec['threads']} threads "
                         f"failed with exit code {completed.returncode} (its error output is above)")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main():
    args = parse_arguments()
    if args.child:
        print(json.dumps(run_child(json.loads(args.child))), flush=True)
        return

    import aihwkit
    import torch

    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    for backend in backends:
        if backend not in BACKENDS:
            raise SystemExit(f"error: invalid back end '{backend}' in --backends; use cpp, torch or both")
    try:
        thread_counts = [int(t) for t in args.threads.split(",")]
    except ValueError:
        raise SystemExit(f"error: invalid --threads '{args.threads}'; use comma-separated integers like 1,2")
    if any(t < 1 for t in thread_counts):
        raise SystemExit(f"error: invalid --threads '{args.threads}'; each count must be at least 1")
    if args.trials is not None and args.trials < 1:
        raise SystemExit(f"error: invalid --trials {args.trials}; use at least 1")
    if args.warmup < 0:
        raise SystemExit(f"error: invalid --warmup {args.warmup}; use 0 or more")
    selected = list(WORKLOADS) if args.workload == "all" else [args.workload]

    results = {}
    if os.path.exists(args.output):
        with open(args.output) as file:
            results = json.load(file)
    results.update({
        "aihwkit": aihwkit.__version__,
        "torch": torch.__version__.split("+")[0],
        "machine": machine_description(),
        "backends": BACKENDS,
        "settings": SETTINGS,
    })
    results.setdefault("workloads", {})
    results.setdefault("accuracy", {})
    results.setdefault("runs", {})

    for workload in selected:
        model_path = os.path.join(args.models_dir, WORKLOADS[workload]["model"])
        if not os.path.exists(model_path):
            print(f"{workload}: skipped, {model_path} not found (set --models-dir)")
            continue
        trials = args.trials or WORKLOADS[workload]["trials"]
        times = results["workloads"].setdefault(workload, {})
        accuracy = results["accuracy"].setdefault(workload, {})
        runs = results["runs"].setdefault(workload, {})
        for backend in backends:
            for threads in thread_counts:
                spec = {"workload": workload, "backend": backend, "threads": threads, "trials": trials,
                        "warmup": args.warmup, "seed": args.seed, "models_dir": args.models_dir,
                        "data_dir": args.data_dir}
                print(f"{workload}: {backend} tile, {threads} thread(s), {args.warmup} warm-up + {trials} timed trials ...",
                      flush=True)
                # The 1-minute load average before and after a run shows whether other jobs shared the cores.
                load_before = os.getloadavg()[0]
                result = spawn(spec)
                result["load_average_before"] = load_before
                result["load_average_after"] = os.getloadavg()[0]
                print(f"  {result['seconds_per_trial']:.3f} s per trial ({result['program_seconds_per_trial']:.3f} s programming), accuracy {result['mean_accuracy'] * 100:.2f} % "
                      f"(float {result['float_accuracy'] * 100:.2f} %), {result['tiles']} tiles, "
                      f"load average {result['load_average_before']:.2f} -> {result['load_average_after']:.2f}", flush=True)
                times.setdefault(backend, {})[str(threads)] = result["seconds_per_trial"]
                accuracy["float"] = result["float_accuracy"]
                accuracy.setdefault(backend, {})[str(threads)] = result["mean_accuracy"]
                runs.setdefault(backend, {})[str(threads)] = dict(result, trials=trials, warmup=args.warmup,
                                                                   images=WORKLOADS[workload]["images"])
                os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
                with open(args.output, "w") as file:
                    json.dump(results, file, indent=2)

    print_table(results)
    print(f"\nwrote {args.output}")


def print_table(results):
    print(f"\naihwkit {results['aihwkit']}, torch {results['torch']}; {results['machine']}")
    print(f"{'workload':<9} {'back end':<9} {'threads':>7} {'s/trial':>9} {'accuracy':>9} {'float':>7}")
    for workload, per_backend in results["workloads"].items():
        accuracy = results["accuracy"].get(workload, {})
        for backend, per_threads in per_backend.items():
            for threads, seconds in sorted(per_threads.items(), key=lambda item: int(item[0])):
                value = accuracy.get(backend, {}).get(threads)
                cell = f"{value * 100:.2f} %" if value is not None else "-"
                print(f"{workload:<9} {backend:<9} {threads:>7} {seconds:>9.3f} {cell:>9} "
                      f"{accuracy.get('float', 0) * 100:>5.2f} %")


if __name__ == "__main__":
    main()

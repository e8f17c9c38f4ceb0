"""Shared helpers for the training scripts: dataset readers, normalization
constants, ONNX export and onnxruntime evaluation.

The readers take the folder that contains the original distribution files
(``mnist/*.gz`` and ``cifar-10-batches-bin/*.bin``) as an argument. No dataset
path is built in.
"""

import gzip
import json
import os
import struct
import time

import numpy as np

# Normalization is applied outside the models: x = (pixel / 255 - mean) / std.
MNIST_MEAN = (0.1307,)
MNIST_STD = (0.3081,)
CIFAR10_MEAN = (0.4914, 0.4822, 0.4465)
CIFAR10_STD = (0.2470, 0.2435, 0.2616)

CIFAR10_RECORD_BYTES = 1 + 3 * 32 * 32

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODELS_DIR = os.path.join(REPO_ROOT, "models")


# ---------------------------------------------------------------- readers

def read_idx_gz(path):
    """Read a gzip'd IDX file (MNIST layout) into a uint8 numpy array.

    The header is a big-endian magic 0x000008DD (DD = number of dimensions,
    element type 0x08 = unsigned byte) followed by one 32-bit size per axis.
    """
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic = struct.unpack(">I", raw[:4])[0]
    if magic >> 8 != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file (magic {magic:#010x})")
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(dims)):
        raise ValueError(f"{path}: invalid IDX file: header gives dims {dims} but the payload has {data.size} bytes")
    return data.reshape(dims)


def load_mnist(data_dir, split):
    """Return (images uint8 N x 28 x 28, labels int64 N) for split 'train' or 't10k'."""
    images = read_idx_gz(os.path.join(data_dir, "mnist", f"{split}-images-idx3-ubyte.gz"))
    labels = read_idx_gz(os.path.join(data_dir, "mnist", f"{split}-labels-idx1-ubyte.gz"))
    return images, labels.astype(np.int64)


def read_cifar10_bin(path):
    """Read one CIFAR-10 binary batch: (images uint8 N x 3 x 32 x 32 RGB, labels int64 N)."""
    raw = np.fromfile(path, dtype=np.uint8)
    if raw.size % CIFAR10_RECORD_BYTES:
        raise ValueError(f"{path}: size {raw.size} is not a multiple of {CIFAR10_RECORD_BYTES}")
    records = raw.reshape(-1, CIFAR10_RECORD_BYTES)
    labels = records[:, 0].astype(np.int64)
    images = records[:, 1:].reshape(-1, 3, 32, 32)
    return images, labels


def load_cifar10(data_dir, split):
    """Return (images, labels) for split 'train' (data_batch_1..5) or 'test' (test_batch)."""
    folder = os.path.join(data_dir, "cifar-10-batches-bin")
    names = [f"data_batch_{i}.bin" for i in range(1, 6)] if split == "train" else ["test_batch.bin"]
    parts = [read_cifar10_bin(os.path.join(folder, n)) for n in names]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def normalize(images, mean, std):
    """Convert uint8 N x C x H x W (or N x H x W for one channel) to normalized float32 N x C x H x W."""
    x = images.astype(np.float32) / 255.0
    if x.ndim == 3:
        x = x[:, None, :, :]
    m = np.asarray(mean, dtype=np.float32).reshape(1, -1, 1, 1)
    s = np.asarray(std, dtype=np.float32).reshape(1, -1, 1, 1)
    return (x - m) / s


def load_test_set(data_dir, dataset):
    """Return the normalized float32 test inputs and the labels for 'mnist' or 'cifar10'."""
    if dataset == "mnist":
        images, labels = load_mnist(data_dir, "t10k")
        return normalize(images, MNIST_MEAN, MNIST_STD), labels
    if dataset == "cifar10":
        images, labels = load_cifar10(data_dir, "test")
        return normalize(images, CIFAR10_MEAN, CIFAR10_STD), labels
    raise ValueError(f"unknown dataset {dataset!r}")


# ---------------------------------------------------------------- ONNX

def export_onnx(model, example_input, path):
    """Export with the TorchScript exporter, opset 13, dynamic batch axis.

    ``do_constant_folding=False`` and ``TrainingMode.PRESERVE`` on a model in
    eval mode keep each BatchNormalization as its own node (inference form).
    The emulator folds it into the preceding Conv at import.
    """
    import torch

    model.eval()
    torch.onnx.export(
        model,
        (example_input,),
        path,
        dynamo=False,
        opset_version=13,
        input_names=["input"],
        output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
        do_constant_folding=False,
        training=torch.onnx.TrainingMode.PRESERVE,
    )


def onnx_op_counts(path):
    """Return {op_type: count} for the nodes of the main graph."""
    import onnx

    model = onnx.load(path)
    onnx.checker.check_model(model)
    counts = {}
    for node in model.graph.node:
        counts[node.op_type] = counts.get(node.op_type, 0) + 1
    return counts


def check_ops(path, allowed):
    counts = onnx_op_counts(path)
    bad = sorted(set(counts) - set(allowed))
    if bad:
        raise SystemExit(f"{path}: op types outside the allowed set: {bad} (all: {counts})")
    return counts


def onnx_logits(path, inputs, batch_size=500):
    """Run the ONNX file with onnxruntime on the CPU and return the float32 logits, N x 10."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 2
    session = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
    outs = []
    for i in range(0, len(inputs), batch_size):
        outs.append(session.run(["logits"], {"input": inputs[i:i + batch_size]})[0])
    return np.concatenate(outs)


def onnx_accuracy(path, inputs, labels):
    return float((onnx_logits(path, inputs).argmax(axis=1) == labels).mean())


def write_model_json(path, fields):
    with open(path, "w") as f:
        json.dump(fields, f, indent=2)
        f.write("\n")


class Timer:
    def __init__(self):
        self.start = time.perf_counter()

    def seconds(self):
        return time.perf_counter() - self.start

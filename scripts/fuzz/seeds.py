#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into .build/fuzz/seeds/<Target>/.

Seeds come from the real files in the repository, cut to a few KB because libFuzzer
mutates them anyway. Two tiny ONNX models are written here with a small protobuf encoder
(field numbers from onnx.proto), so the fuzzer starts from inputs that decode and lower
all the way. The script needs only the Python standard library.
"""
import gzip
import shutil
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / ".build" / "fuzz" / "seeds"


# --- protobuf encoding ------------------------------------------------------------------

def varint(value):
    value &= (1 << 64) - 1
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def key(field, wire):
    return varint(field << 3 | wire)


def int_field(field, value):
    return key(field, 0) + varint(value)


def bytes_field(field, payload):
    return key(field, 2) + varint(len(payload)) + payload


def str_field(field, text):
    return bytes_field(field, text.encode())


def float_field(field, value):
    return key(field, 5) + struct.pack("<f", value)


def packed_ints(field, values):
    return bytes_field(field, b"".join(varint(v) for v in values))


# --- ONNX messages ----------------------------------------------------------------------

FLOAT, INT64 = 1, 7
ATTR_FLOAT, ATTR_INT, ATTR_STRING, ATTR_TENSOR, ATTR_INTS = 1, 2, 3, 4, 7


def tensor(name, dims, values, data_type=FLOAT):
    """Builds a TensorProto with raw_data, repeating `values` to fill the shape."""
    count = 1
    for d in dims:
        count *= d
    values = [values[i % len(values)] for i in range(count)]
    fmt = "<%d%s" % (count, "f" if data_type == FLOAT else "q")
    return (packed_ints(1, dims) + int_field(2, data_type) + str_field(8, name)
            + bytes_field(9, struct.pack(fmt, *values)))


def attribute(name, kind, value):
    body = str_field(1, name) + int_field(20, kind)
    if kind == ATTR_FLOAT:
        body += float_field(2, value)
    elif kind == ATTR_INT:
        body += int_field(3, value)
    elif kind == ATTR_STRING:
        body += str_field(4, value)
    elif kind == ATTR_TENSOR:
        body += bytes_field(5, value)
    elif kind == ATTR_INTS:
        body += packed_ints(8, value)
    return bytes_field(5, body)


def node(op, inputs, outputs, name="", attributes=()):
    body = b"".join(str_field(1, i) for i in inputs) + b"".join(str_field(2, o) for o in outputs)
    if name:
        body += str_field(3, name)
    body += str_field(4, op) + b"".join(attributes)
    return bytes_field(1, body)


def value_info(field, name, dims):
    shape = b"".join(
        bytes_field(1, str_field(2, d) if isinstance(d, str) else int_field(1, d)) for d in dims)
    tensor_type = int_field(1, FLOAT) + bytes_field(2, shape)
    return bytes_field(field, str_field(1, name) + bytes_field(2, bytes_field(1, tensor_type)))


def model(graph_name, input_dims, nodes, initializers, output):
    graph = (b"".join(nodes) + str_field(2, graph_name)
             + b"".join(bytes_field(5, t) for t in initializers)
             + value_info(11, "x", input_dims) + value_info(12, output, ["batch", 2]))
    opset = str_field(1, "") + int_field(2, 13)
    return (int_field(1, 8) + str_field(2, "seeds.py") + str_field(3, "1")
            + bytes_field(8, opset) + bytes_field(7, graph))


def tiny_mlp():
    """Builds an MLP: Flatten, Gemm (transB), Relu, MatMul, bias Add, Softmax on 1 x 4 x 4."""
    nodes = [
        node("Flatten", ["x"], ["f"], attributes=[attribute("axis", ATTR_INT, 1)]),
        node("Gemm", ["f", "w1", "b1"], ["h"], name="fc1",
             attributes=[attribute("transB", ATTR_INT, 1), attribute("alpha", ATTR_FLOAT, 1.0)]),
        node("Relu", ["h"], ["r"]),
        node("MatMul", ["r", "w2"], ["m"]),
        node("Add", ["m", "b2"], ["a"]),
        node("Softmax", ["a"], ["y"], attributes=[attribute("axis", ATTR_INT, -1)]),
    ]
    inits = [tensor("w1", [3, 16], [0.1, -0.2, 0.3]), tensor("b1", [3], [0.01]),
             tensor("w2", [3, 2], [0.5, -0.5]), tensor("b2", [2], [0.0, 0.1])]
    return model("tiny-mlp", ["batch", 1, 4, 4], nodes, inits, "y")


def tiny_cnn():
    """Builds a CNN on 2 x 6 x 6: Conv, BatchNormalization, Relu, MaxPool, Clip, AveragePool
    (SAME_UPPER), GlobalAveragePool, Reshape by a Constant, Gemm, Dropout, Identity, LogSoftmax."""
    shape = tensor("shape", [2], [1, -1], data_type=INT64)
    nodes = [
        node("Conv", ["x", "cw", "cb"], ["c"], name="conv1", attributes=[
            attribute("kernel_shape", ATTR_INTS, [3, 3]), attribute("pads", ATTR_INTS, [1, 1, 1, 1]),
            attribute("strides", ATTR_INTS, [1, 1]), attribute("dilations", ATTR_INTS, [1, 1]),
            attribute("group", ATTR_INT, 1)]),
        node("BatchNormalization", ["c", "g", "beta", "mean", "var"], ["n"],
             attributes=[attribute("epsilon", ATTR_FLOAT, 1e-5)]),
        node("Relu", ["n"], ["r"]),
        node("MaxPool", ["r"], ["p"], attributes=[
            attribute("kernel_shape", ATTR_INTS, [2, 2]), attribute("strides", ATTR_INTS, [2, 2]),
            attribute("ceil_mode", ATTR_INT, 0)]),
        node("Clip", ["p"], ["k"], attributes=[
            attribute("min", ATTR_FLOAT, 0.0), attribute("max", ATTR_FLOAT, 6.0)]),
        node("AveragePool", ["k"], ["q"], attributes=[
            attribute("kernel_shape", ATTR_INTS, [2, 2]), attribute("auto_pad", ATTR_STRING, "SAME_UPPER"),
            attribute("count_include_pad", ATTR_INT, 0)]),
        node("GlobalAveragePool", ["q"], ["gp"]),
        node("Constant", [], ["s"], attributes=[attribute("value", ATTR_TENSOR, shape)]),
        node("Reshape", ["gp", "s"], ["flat"]),
        node("Gemm", ["flat", "fw", "fb"], ["z"]),
        node("Dropout", ["z"], ["d"]),
        node("Identity", ["d"], ["i"]),
        node("LogSoftmax", ["i"], ["y"]),
    ]
    inits = [tensor("cw", [3, 2, 3, 3], [0.1, -0.1, 0.2]), tensor("cb", [3], [0.0]),
             tensor("g", [3], [1.0]), tensor("beta", [3], [0.0]), tensor("mean", [3], [0.1]),
             tensor("var", [3], [1.0]), tensor("fw", [3, 2], [0.3, -0.3]), tensor("fb", [2], [0.0])]
    return model("tiny-cnn", ["batch", 2, 6, 6], nodes, inits, "y")


# --- data files -------------------------------------------------------------------------

def idx(dims, data):
    return bytes([0, 0, 8, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + data


def write(target, name, data):
    folder = OUT / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def main():
    if OUT.exists():
        shutil.rmtree(OUT)

    write("ONNX", "tiny-mlp.onnx", tiny_mlp())
    write("ONNX", "tiny-cnn.onnx", tiny_cnn())
    # The real model's first 4 KB: its header, graph start and the start of an initializer.
    write("ONNX", "mnist-mlp-head.onnx", (ROOT / "models/mnist-mlp.onnx").read_bytes()[:4096])
    cnn = ROOT / "models/cifar10-cnn.onnx"
    if cnn.exists():
        write("ONNX", "cifar10-cnn-head.onnx", cnn.read_bytes()[:4096])

    images = gzip.decompress((ROOT / "data/mnist/t10k-images-idx3-ubyte.gz").read_bytes())
    labels = gzip.decompress((ROOT / "data/mnist/t10k-labels-idx1-ubyte.gz").read_bytes())
    two_images = idx([2, 28, 28], images[16:16 + 2 * 28 * 28])
    twenty_labels = idx([20], labels[8:8 + 20])
    write("IDX", "images-2.idx", two_images)
    write("IDX", "images-2.idx.gz", gzip.compress(two_images, mtime=0))
    write("IDX", "labels-20.idx", twenty_labels)
    write("IDX", "labels-20.idx.gz", gzip.compress(twenty_labels, mtime=0))
    write("IDX", "tiny-3x2x2.idx", idx([3, 2, 2], bytes(range(12))))
    # The real gzip file's first 2 KB: a valid header and a truncated deflate stream.
    write("IDX", "t10k-labels-head.gz", (ROOT / "data/mnist/t10k-labels-idx1-ubyte.gz").read_bytes()[:2048])

    record = 3073
    batch = (ROOT / "data/cifar10/test_batch_first1000.bin").read_bytes()
    write("CIFAR", "record-1.bin", batch[:record])
    write("CIFAR", "records-2.bin", batch[record:3 * record])

    for config in sorted((ROOT / "configs").glob("*.json")):
        write("StudyConfig", config.name, config.read_bytes())

    for target in sorted(p.name for p in OUT.iterdir()):
        files = list((OUT / target).iterdir())
        print("seeds: %s: %d files, %d bytes" % (target, len(files), sum(f.stat().st_size for f in files)))


if __name__ == "__main__":
    sys.exit(main())

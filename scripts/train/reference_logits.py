"""Write reference logits for the first test images of a model.

    python reference_logits.py --data-dir DIR models/mnist-mlp.json [models/cifar10-cnn.json ...]

For each model JSON, runs the ONNX file named in it with onnxruntime on the
first --count test images of its dataset (normalized with the JSON's mean and
std) and writes models/<name>.logits.csv beside the JSON:

    index,label,logit0,...,logit9

Each logit is float32 output printed with 9 significant digits, enough to
round-trip a float32 exactly.
"""

import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


def write_logits(json_path, data_dir, count):
    with open(json_path) as f:
        meta = json.load(f)
    folder = os.path.dirname(os.path.abspath(json_path))
    if meta["dataset"] == "mnist":
        images, labels = common.load_mnist(data_dir, "t10k")
    elif meta["dataset"] == "cifar10":
        images, labels = common.load_cifar10(data_dir, "test")
    else:
        raise SystemExit(f"{json_path}: unknown dataset {meta['dataset']!r}")
    norm = meta["normalization"]
    x = common.normalize(images[:count], norm["mean"], norm["std"])
    if list(x.shape[1:]) != meta["inputShape"]:
        raise SystemExit(f"{json_path}: input shape {list(x.shape[1:])} does not match inputShape {meta['inputShape']}")
    logits = common.onnx_logits(os.path.join(folder, meta["onnx"]), x)
    out_path = os.path.join(folder, f"{meta['name']}.logits.csv")
    with open(out_path, "w", newline="") as f:
        f.write("index,label," + ",".join(f"logit{k}" for k in range(logits.shape[1])) + "\n")
        for i in range(count):
            row = [str(i), str(int(labels[i]))] + [format(float(v), ".9g") for v in logits[i]]
            f.write(",".join(row) + "\n")
    acc = float((logits.argmax(1) == labels[:count]).mean())
    print(f"wrote {out_path}: {count} rows, top-1 on these rows {acc:.2f}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", required=True, help="folder containing mnist/ and cifar-10-batches-bin/")
    p.add_argument("--count", type=int, default=100)
    p.add_argument("models", nargs="+", metavar="MODEL_JSON")
    args = p.parse_args()
    for path in args.models:
        write_logits(path, args.data_dir, args.count)


if __name__ == "__main__":
    main()

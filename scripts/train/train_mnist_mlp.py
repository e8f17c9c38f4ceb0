"""Train the MNIST reference MLP (784-256-128-10, ReLU) and export it to ONNX.

Writes models/mnist-mlp.onnx and models/mnist-mlp.json (accuracy measured with
onnxruntime on all 10,000 test images). See README.md in this folder.

    python train_mnist_mlp.py --data-dir DIR
"""

import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

NAME = "mnist-mlp"
ALLOWED_OPS = {"Flatten", "Gemm", "MatMul", "Add", "Relu"}


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.Linear(784, 256), nn.ReLU(),
            nn.Linear(256, 128), nn.ReLU(),
            nn.Linear(128, 10),
        )

    def forward(self, x):
        return self.net(x)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", required=True, help="folder containing mnist/*.gz")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--out-dir", default=common.MODELS_DIR)
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)

    images, labels = common.load_mnist(args.data_dir, "train")
    train_x = torch.from_numpy(common.normalize(images, common.MNIST_MEAN, common.MNIST_STD))
    train_y = torch.from_numpy(labels)
    test_x, test_y = common.load_test_set(args.data_dir, "mnist")

    model = MLP()
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs)
    loss_fn = nn.CrossEntropyLoss()
    n = len(train_x)
    timer = common.Timer()
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(n, generator=gen)
        loss_sum, batches = 0.0, 0
        for i in range(0, n, args.batch_size):
            idx = perm[i:i + args.batch_size]
            loss = loss_fn(model(train_x[idx]), train_y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss_sum += loss.item()
            batches += 1
        sched.step()
        print(f"epoch {epoch + 1}/{args.epochs}: loss {loss_sum / batches:.4f} "
              f"({timer.seconds():.0f} s)", flush=True)
    training_seconds = round(timer.seconds(), 1)

    model.eval()
    with torch.no_grad():
        torch_acc = float((model(torch.from_numpy(test_x)).argmax(1).numpy() == test_y).mean())
    print(f"torch test accuracy: {torch_acc:.4f}")

    os.makedirs(args.out_dir, exist_ok=True)
    onnx_path = os.path.join(args.out_dir, f"{NAME}.onnx")
    common.export_onnx(model, torch.zeros(1, 1, 28, 28), onnx_path)
    ops = common.check_ops(onnx_path, ALLOWED_OPS)
    print(f"ONNX op types: {json.dumps(ops, sort_keys=True)}")
    ort_acc = common.onnx_accuracy(onnx_path, test_x, test_y)
    print(f"onnxruntime test accuracy: {ort_acc:.4f}")

    import onnxruntime
    common.write_model_json(os.path.join(args.out_dir, f"{NAME}.json"), {
        "name": NAME,
        "onnx": f"{NAME}.onnx",
        "dataset": "mnist",
        "inputShape": [1, 28, 28],
        "normalization": {"mean": list(common.MNIST_MEAN), "std": list(common.MNIST_STD)},
        "architecture": "flatten(784); linear(256)-ReLU; linear(128)-ReLU; linear(10)",
        "epochs": args.epochs,
        "floatTestAccuracy": ort_acc,
        "torchTestAccuracy": torch_acc,
        "testImages": len(test_y),
        "trainingSeconds": training_seconds,
        "torchVersion": torch.__version__.split("+")[0],
        "onnxruntimeVersion": onnxruntime.__version__,
    })


if __name__ == "__main__":
    main()

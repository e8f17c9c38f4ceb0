"""Train the VGG-style CIFAR-10 reference CNN on CPU and export it to ONNX.

Writes models/cifar10-cnn.onnx and models/cifar10-cnn.json (accuracy measured
with onnxruntime on all 10,000 test images). See README.md in this folder.

    python train_cifar10_cnn.py --data-dir DIR --epochs N --checkpoint /outside/repo/ckpt.pt
    python train_cifar10_cnn.py --data-dir DIR --bench 20     # time 20 batches, then stop
    python train_cifar10_cnn.py --data-dir DIR --export-only --checkpoint ckpt.pt
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

NAME = "cifar10-cnn"
CHANNELS = (32, 64, 128)
HIDDEN = 256
ALLOWED_OPS = {
    "Conv", "MaxPool", "AveragePool", "GlobalAveragePool", "BatchNormalization",
    "Flatten", "Gemm", "MatMul", "Add", "Relu", "Clip", "Dropout", "Reshape",
    "Identity", "Constant",
}


def architecture_string(channels=CHANNELS, hidden=HIDDEN):
    a, b, c = channels
    return (f"conv3x3({a})-BN-ReLU x2, maxpool2; conv3x3({b})-BN-ReLU x2, maxpool2; "
            f"conv3x3({c})-BN-ReLU x2, maxpool2; flatten({c * 16}); "
            f"linear({hidden})-ReLU-dropout(0.3); linear(10)")


class VGGSmall(nn.Module):
    def __init__(self, channels=CHANNELS, hidden=HIDDEN):
        super().__init__()
        layers = []
        c_in = 3
        for c in channels:
            for _ in range(2):
                layers += [nn.Conv2d(c_in, c, 3, padding=1, bias=False),
                           nn.BatchNorm2d(c), nn.ReLU(inplace=True)]
                c_in = c
            layers.append(nn.MaxPool2d(2))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(c_in * 4 * 4, hidden),
            nn.ReLU(inplace=True),
            nn.Dropout(0.3),
            nn.Linear(hidden, 10),
        )

    def forward(self, x):
        return self.classifier(self.features(x))


def augment(x, gen):
    """Crop a random 32x32 window from the image zero-padded by 4 pixels, then flip it horizontally at random.

    x is the normalized batch, so the zero padding equals the per-channel mean pixel.
    """
    n = x.shape[0]
    padded = F.pad(x, (4, 4, 4, 4))
    dy = torch.randint(0, 9, (n,), generator=gen)
    dx = torch.randint(0, 9, (n,), generator=gen)
    ar = torch.arange(32)
    rows = (dy[:, None] + ar)[:, None, :, None]   # n,1,32,1
    cols = (dx[:, None] + ar)[:, None, None, :]   # n,1,1,32
    batch = torch.arange(n)[:, None, None, None]
    chan = torch.arange(x.shape[1])[None, :, None, None]
    out = padded[batch, chan, rows, cols]
    flip = torch.rand(n, generator=gen) < 0.5
    return torch.where(flip[:, None, None, None], out.flip(3), out)


def evaluate(model, x, y, batch_size=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch_size):
            correct += (model(x[i:i + batch_size]).argmax(1) == y[i:i + batch_size]).sum().item()
    return correct / len(x)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", required=True, help="folder containing cifar-10-batches-bin/")
    p.add_argument("--epochs", type=int, default=12)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--max-lr", type=float, default=0.1)
    p.add_argument("--weight-decay", type=float, default=5e-4)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--checkpoint", help="where to save the trained weights (keep it outside the repo)")
    p.add_argument("--export-only", action="store_true", help="skip training: load --checkpoint, then export and evaluate")
    p.add_argument("--bench", type=int, default=0, metavar="N", help="time N training batches and exit")
    p.add_argument("--out-dir", default=common.MODELS_DIR)
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)

    test_x, test_y = common.load_test_set(args.data_dir, "cifar10")
    test_xt, test_yt = torch.from_numpy(test_x), torch.from_numpy(test_y)
    model = VGGSmall()
    print(f"parameters: {sum(p.numel() for p in model.parameters())}", flush=True)

    if args.export_only:
        if not args.checkpoint:
            p.error("--export-only needs --checkpoint")
        ckpt = torch.load(args.checkpoint, map_location="cpu")
        model.load_state_dict(ckpt["model"])
        meta = ckpt["meta"]
    else:
        images, labels = common.load_cifar10(args.data_dir, "train")
        train_x = torch.from_numpy(common.normalize(images, common.CIFAR10_MEAN, common.CIFAR10_STD))
        train_y = torch.from_numpy(labels)
        n = len(train_x)
        steps_per_epoch = n // args.batch_size   # the last partial batch is skipped
        opt = torch.optim.SGD(model.parameters(), lr=args.max_lr, momentum=0.9, nesterov=True,
                              weight_decay=args.weight_decay)
        total_steps = args.epochs * steps_per_epoch
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.max_lr, total_steps=total_steps,
                                                    pct_start=0.25, div_factor=10, final_div_factor=100)
        loss_fn = nn.CrossEntropyLoss(label_smoothing=0.1)
        timer = common.Timer()
        for epoch in range(args.epochs):
            model.train()
            perm = torch.randperm(n, generator=gen)
            t0 = time.perf_counter()
            loss_sum, correct = 0.0, 0
            for step in range(steps_per_epoch):
                idx = perm[step * args.batch_size:(step + 1) * args.batch_size]
                xb, yb = augment(train_x[idx], gen), train_y[idx]
                out = model(xb)
                loss = loss_fn(out, yb)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                sched.step()
                loss_sum += loss.item()
                correct += (out.argmax(1) == yb).sum().item()
                if args.bench and step + 1 == args.bench:
                    dt = time.perf_counter() - t0
                    print(f"bench: {args.bench} batches of {args.batch_size} in {dt:.1f} s; "
                          f"estimated epoch {dt / args.bench * steps_per_epoch:.0f} s", flush=True)
                    return
            seen = steps_per_epoch * args.batch_size
            test_acc = evaluate(model, test_xt[:2000], test_yt[:2000])
            print(f"epoch {epoch + 1}/{args.epochs}: loss {loss_sum / steps_per_epoch:.4f} "
                  f"train acc {correct / seen:.4f} test acc (first 2000) {test_acc:.4f} "
                  f"epoch {time.perf_counter() - t0:.0f} s, total {timer.seconds():.0f} s", flush=True)
        meta = {
            "epochs": args.epochs,
            "trainingSeconds": round(timer.seconds(), 1),
            "batchSize": args.batch_size,
            "seed": args.seed,
        }
        if args.checkpoint:
            torch.save({"model": model.state_dict(), "meta": meta}, args.checkpoint)
            print(f"saved {args.checkpoint}", flush=True)

    torch_acc = evaluate(model, test_xt, test_yt)
    print(f"torch test accuracy: {torch_acc:.4f}", flush=True)

    os.makedirs(args.out_dir, exist_ok=True)
    onnx_path = os.path.join(args.out_dir, f"{NAME}.onnx")
    common.export_onnx(model, torch.zeros(1, 3, 32, 32), onnx_path)
    ops = common.check_ops(onnx_path, ALLOWED_OPS)
    print(f"ONNX op types: {json.dumps(ops, sort_keys=True)}", flush=True)
    if "BatchNormalization" not in ops:
        raise SystemExit("BatchNormalization missing from the export (folded into Conv); the emulator expects it kept")
    ort_acc = common.onnx_accuracy(onnx_path, test_x, test_y)
    print(f"onnxruntime test accuracy: {ort_acc:.4f}", flush=True)

    import onnxruntime
    common.write_model_json(os.path.join(args.out_dir, f"{NAME}.json"), {
        "name": NAME,
        "onnx": f"{NAME}.onnx",
        "dataset": "cifar10",
        "inputShape": [3, 32, 32],
        "normalization": {"mean": list(common.CIFAR10_MEAN), "std": list(common.CIFAR10_STD)},
        "architecture": architecture_string(),
        "epochs": meta["epochs"],
        "floatTestAccuracy": ort_acc,
        "torchTestAccuracy": torch_acc,
        "testImages": len(test_y),
        "trainingSeconds": meta["trainingSeconds"],
        "torchVersion": torch.__version__.split("+")[0],
        "onnxruntimeVersion": onnxruntime.__version__,
    })


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Regenerate the small dataset slices kept in data/ (standard library only).

    python3 scripts/vendor_data.py --source DIR

DIR contains the original distributions: mnist/*.gz (the LeCun MNIST files) and
cifar-10-batches-bin/ (the contents of cifar-10-binary.tar.gz). The script
writes the files listed in data/README.md and rewrites that README with their
sha256 sums. The gzip files it makes carry mtime 0 and no file name, so a
rerun gives identical bytes.

NOTE: identical given the same zlib. Another zlib build (zlib-ng, for one) may
compress differently, with the same decompressed content.
"""

import argparse
import gzip
import hashlib
import io
import os
import shutil
import struct
import sys

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

MNIST_TEST_SHA256 = {
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}
CALIBRATION_COUNT = 1000
CIFAR_RECORD = 1 + 3 * 32 * 32


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_atomic(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def gzip_bytes(data):
    """Compress with gzip, with mtime 0 and no file name in the header, so reruns give identical bytes."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as g:
        g.write(data)
    return buf.getvalue()


def idx_head(path, count, item_bytes, magic):
    """Return the first `count` items of a gzip'd IDX file as a new, uncompressed IDX file."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    found = struct.unpack(">I", raw[:4])[0]
    if found != magic:
        sys.exit(f"{path}: magic {found:#010x}, expected {magic:#010x}")
    ndim = magic & 0xFF
    dims = list(struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim]))
    if dims[0] < count:
        sys.exit(f"{path}: holds {dims[0]} items, need {count}")
    header = 4 + 4 * ndim
    dims[0] = count
    return struct.pack(">I", magic) + struct.pack(">" + "I" * ndim, *dims) + raw[header:header + count * item_bytes]


def file_head(path, nbytes):
    with open(path, "rb") as f:
        data = f.read(nbytes)
    if len(data) != nbytes:
        sys.exit(f"{path}: shorter than {nbytes} bytes")
    return data


README_HEAD = """\
# data/

Small slices of MNIST and CIFAR-10 kept in the repository, so that the emulator,
its tests and CI run without downloading anything. The images are the original
ones: they are copied, or cut from the original distribution files, never
resampled or re-encoded.

Written by `scripts/vendor_data.py` (Python standard library only):

    python3 scripts/vendor_data.py --source DIR

`DIR` contains `mnist/` (the four original `*-ubyte.gz` files of the LeCun MNIST
distribution) and `cifar-10-batches-bin/` (the contents of the CIFAR-10 binary
version, `cifar-10-binary.tar.gz`; `scripts/fetch_cifar10.sh` gets it). The
script checks the MNIST test files against the sha256 sums below. Its output
is byte-for-byte reproducible with the same zlib, so a rerun leaves `git status`
clean. A different zlib build may compress the two `train-first1000` files
differently, with the same decompressed content.

The calibration slices (`train-first1000-*`, `data_batch_1_first1000.bin`) come
from the training sets. The emulator may use them to pick ranges and scales.
The study does not score them: accuracy figures come from the test files.

## mnist/

IDX format, gzip'd: a big-endian header (magic, then one 32-bit size per axis),
then the unsigned bytes, row-major. Images are 28 x 28, 0 = background. Labels
are 0..9.

| file | what | items |
|---|---|---|
| `t10k-images-idx3-ubyte.gz` | original MNIST test images, copied byte for byte | 10,000 |
| `t10k-labels-idx1-ubyte.gz` | original MNIST test labels, copied byte for byte | 10,000 |
| `train-first1000-images-idx3-ubyte.gz` | first 1,000 images of `train-images-idx3-ubyte.gz`; magic 0x00000803, count 1000; gzip'd with mtime 0 | 1,000 |
| `train-first1000-labels-idx1-ubyte.gz` | first 1,000 labels of `train-labels-idx1-ubyte.gz`; magic 0x00000801, count 1000; gzip'd with mtime 0 | 1,000 |

## cifar10/

CIFAR-10 binary version: fixed-size records of 3,073 bytes: 1 label byte (0..9),
then the 32 x 32 red plane, the green plane and the blue plane, each row-major.
There is no header.

| file | what | items |
|---|---|---|
| `test_batch_first1000.bin` | first 1,000 records of `test_batch.bin` (3,073,000 bytes) | 1,000 |
| `data_batch_1_first1000.bin` | first 1,000 records of `data_batch_1.bin` (3,073,000 bytes) | 1,000 |
| `batches.meta.txt` | the class names in label order, one per line | 10 |

Classes 0..9: airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck.

## Sources

- MNIST: Y. LeCun, C. Cortes and C. J. C. Burges, the MNIST database of
  handwritten digits (the four `*-ubyte.gz` files of the original distribution).
- CIFAR-10: A. Krizhevsky, *Learning Multiple Layers of Features from Tiny
  Images*, 2009; the binary version, `cifar-10-binary.tar.gz`. The `.bin` files
  the slices were cut from match the published per-file MD5s (listed in
  `scripts/fetch_cifar10.sh`). The `batches.meta.txt` this was copied from had
  been rebuilt from the class list, so it may differ from the tarball's copy in
  trailing blank lines. The class order is the official one.

## sha256
"""


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--source", required=True, help="folder containing mnist/ and cifar-10-batches-bin/")
    p.add_argument("--dest", default=os.path.join(REPO_ROOT, "data"), help="output folder (default: data/ in this repository)")
    args = p.parse_args()

    mnist_src = os.path.join(args.source, "mnist")
    cifar_src = os.path.join(args.source, "cifar-10-batches-bin")
    mnist_dst = os.path.join(args.dest, "mnist")
    cifar_dst = os.path.join(args.dest, "cifar10")
    os.makedirs(mnist_dst, exist_ok=True)
    os.makedirs(cifar_dst, exist_ok=True)
    written = []

    for name, expected in MNIST_TEST_SHA256.items():
        src = os.path.join(mnist_src, name)
        got = sha256(src)
        if got != expected:
            sys.exit(f"{src}: sha256 {got}, expected {expected}: not the original MNIST file")
        dst = os.path.join(mnist_dst, name)
        shutil.copyfile(src, dst + ".tmp")
        os.replace(dst + ".tmp", dst)
        written.append(dst)

    for kind, magic, item_bytes in (("images-idx3", 0x00000803, 28 * 28), ("labels-idx1", 0x00000801, 1)):
        data = idx_head(os.path.join(mnist_src, f"train-{kind}-ubyte.gz"), CALIBRATION_COUNT, item_bytes, magic)
        dst = os.path.join(mnist_dst, f"train-first1000-{kind}-ubyte.gz")
        write_atomic(dst, gzip_bytes(data))
        written.append(dst)

    for src_name, dst_name in (("test_batch.bin", "test_batch_first1000.bin"),
                               ("data_batch_1.bin", "data_batch_1_first1000.bin")):
        dst = os.path.join(cifar_dst, dst_name)
        write_atomic(dst, file_head(os.path.join(cifar_src, src_name), CALIBRATION_COUNT * CIFAR_RECORD))
        written.append(dst)

    dst = os.path.join(cifar_dst, "batches.meta.txt")
    shutil.copyfile(os.path.join(cifar_src, "batches.meta.txt"), dst + ".tmp")
    os.replace(dst + ".tmp", dst)
    written.append(dst)

    lines = [README_HEAD, "| file | bytes | sha256 |", "|---|---|---|"]
    for path in written:
        rel = os.path.relpath(path, args.dest)
        lines.append(f"| `{rel}` | {os.path.getsize(path)} | `{sha256(path)}` |")
    write_atomic(os.path.join(args.dest, "README.md"), ("\n".join(lines) + "\n").encode())
    for path in written:
        print(f"wrote {os.path.relpath(path, REPO_ROOT)}")


if __name__ == "__main__":
    main()

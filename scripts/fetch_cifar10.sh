#!/usr/bin/env bash
# Get the full CIFAR-10 binary version (data_batch_1..5.bin, test_batch.bin,
# batches.meta.txt) into a folder, checking every file's MD5.
#
#   scripts/fetch_cifar10.sh DEST               download the official tarball
#   scripts/fetch_cifar10.sh --from DIR DEST    copy the .bin files (and batches.meta.txt,
#                                               if there) from a local folder
#
# DEST ends up containing cifar-10-batches-bin/, the layout the training scripts and
# scripts/vendor_data.py expect as --data-dir / --source. The files are first
# written to a temporary folder inside DEST. They are moved into place only once
# every checksum matches. On any error the script exits non-zero and leaves
# nothing half-written.
#
# NOTE: only the --from path has been run. The download path is untested
# because the machine it was written on has no access to that host.
set -euo pipefail

URL="https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
TARBALL_MD5="c32a1d4ab5d03f1284b67883e8d87530"
FILES=(data_batch_1.bin data_batch_2.bin data_batch_3.bin data_batch_4.bin data_batch_5.bin test_batch.bin)
# Per-file MD5s, in the order of FILES (a plain array, because macOS's bash 3.2
# has no associative arrays).
MD5S=(
  5dd7e06a14cb22eb9f671a540d1b7c25
  5ea93a67294ea407fff1d09f752e9692
  942cd6a4bcdd0dd3c604fbe906cb4421
  ae636b3ba5c66a11e91e8cb52e771fcb
  53f37980c15c3d472c316c40844f3f0d
  803d5f7f4d78ea53de84dbe85f74fb6d
)

die() { echo "fetch_cifar10: error: $*" >&2; exit 1; }
usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit "${1:-2}"; }

if command -v md5sum >/dev/null 2>&1; then
  md5_of() { md5sum "$1" | cut -d' ' -f1; }
elif command -v md5 >/dev/null 2>&1; then
  md5_of() { md5 -q "$1"; }
else
  die "neither md5sum nor md5 is installed"
fi

check_md5() {  # file expected
  local got
  got=$(md5_of "$1")
  [[ "$got" == "$2" ]] || die "$(basename "$1"): md5 $got, expected $2 (corrupt or not the original CIFAR-10 file)"
}

FROM=""
case "${1:-}" in
  -h|--help) usage 0 ;;
  "") usage ;;
  --from) [[ $# -eq 3 ]] || usage; FROM=$2; DEST=$3 ;;
  *) [[ $# -eq 1 ]] || usage; DEST=$1 ;;
esac

FINAL="$DEST/cifar-10-batches-bin"
[[ -e "$FINAL" ]] && die "$FINAL already exists; remove it first"
[[ -z "$FROM" || -d "$FROM" ]] || die "--from $FROM: folder not found"
mkdir -p "$DEST"
STAGE=$(mktemp -d "$DEST/.cifar10-fetch.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT

if [[ -n "$FROM" ]]; then
  mkdir "$STAGE/cifar-10-batches-bin"
  for f in "${FILES[@]}"; do
    [[ -f "$FROM/$f" ]] || die "$FROM/$f not found"
    cp "$FROM/$f" "$STAGE/cifar-10-batches-bin/$f"
  done
  if [[ -f "$FROM/batches.meta.txt" ]]; then
    cp "$FROM/batches.meta.txt" "$STAGE/cifar-10-batches-bin/"
  else
    echo "fetch_cifar10: warning: $FROM has no batches.meta.txt (class names); copied the .bin files only" >&2
  fi
else
  if command -v curl >/dev/null 2>&1; then
    curl -fL --retry 3 -o "$STAGE/cifar-10-binary.tar.gz" "$URL" || die "download of $URL failed"
  elif command -v wget >/dev/null 2>&1; then
    wget -O "$STAGE/cifar-10-binary.tar.gz" "$URL" || die "download of $URL failed"
  else
    die "neither curl nor wget is installed"
  fi
  check_md5 "$STAGE/cifar-10-binary.tar.gz" "$TARBALL_MD5"
  tar -xzf "$STAGE/cifar-10-binary.tar.gz" -C "$STAGE" || die "could not unpack the tarball"
  rm "$STAGE/cifar-10-binary.tar.gz"
  [[ -d "$STAGE/cifar-10-batches-bin" ]] || die "the tarball has no cifar-10-batches-bin/ folder"
fi

for i in "${!FILES[@]}"; do
  f=${FILES[$i]}
  [[ -f "$STAGE/cifar-10-batches-bin/$f" ]] || die "$f is missing from the tarball"
  check_md5 "$STAGE/cifar-10-batches-bin/$f" "${MD5S[$i]}"
done

mv "$STAGE/cifar-10-batches-bin" "$FINAL"
echo "CIFAR-10 binary set in $FINAL (all MD5s match)"

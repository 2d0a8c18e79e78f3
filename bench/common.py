"""Helpers for benchmark scripts: medians and the JSON-lines output format of scripts/bench."""

import json
import statistics
import sys
import time


def median_of(fn, runs=3):
    """Median wall time in seconds of `runs` calls of fn()."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def emit(group, name, value, unit, note=""):
    """One figure: a JSON line on stdout and a table row on stderr."""
    print(json.dumps({"group": group, "name": name, "value": round(value, 6), "unit": unit}), flush=True)
    print(f"  {group:<10} {name:<28} {value:>12.4f} {unit:<4} {note}", file=sys.stderr, flush=True)


FASHION_MNIST = "/usr/share/datasets/fashion-mnist"  # Debian's dataset-fashion-mnist (scripts/setup --data)


def fashion_mnist_idx(name, offset):
    """The bytes of one of Fashion-MNIST's IDX files (`train-images-idx3-ubyte`, ...), after its header of
    `offset` bytes (16 for images, 8 for labels), as a uint8 numpy array."""
    import gzip

    import numpy as np

    with gzip.open(f"{FASHION_MNIST}/{name}.gz") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)

#!/usr/bin/env python3
"""Writes the fixtures that pin `nnlab::random` and `nnlab::np` to numpy, number for number.

Run with the benchmark environment's numpy (the tests never need Python):

    py=$(scripts/bench-env); $py scripts/gen_random_fixtures.py

Output: `crate/tests/fixtures/random/seed_<seed>.json` for a few seeds and `lecture.json` (the lecture's
exact use of `RandomState(121)`). Floats are stored as the 16 hex digits of their IEEE-754 bits, so the
Rust tests compare them bit for bit without trusting any decimal parser. Whole arrays that are too big to
store are pinned by `bits_sum`, the sum modulo 2**64 of the bit patterns of all their elements (any single
changed bit changes it), next to a few entries and the ordinary sum for a human to read.
"""

import copy
import json
import os
import struct
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "crate", "tests", "fixtures", "random")
SEEDS = [0, 1, 121, 2**32 - 1]
# Ranges [low, high) for randint: powers of two and not, 1-wide, negative, 32-bit edge, 64-bit path.
RANDINT_RANGES = [
    (0, 10),
    (0, 16),
    (0, 2),
    (0, 1),
    (-5, 5),
    (0, 256),
    (0, 60000),
    (0, 2**31),
    (0, 2**32),
    (0, 2**32 + 5),
    (-(2**40), 2**40),
    (-(2**62), 2**62 + 12345),
]


def bits(x):
    """The IEEE-754 bits of a float, as 16 hex digits."""
    return "%016x" % struct.unpack("<Q", struct.pack("<d", float(x)))[0]


def bits_list(a):
    return [bits(x) for x in np.asarray(a, dtype=np.float64).ravel()]


def bits_sum(a):
    u = np.asarray(a, dtype=np.float64).ravel().view(np.uint64)
    return str(int(sum(int(v) for v in u) % 2**64))


def lecture_func(x):
    """The lecture's `func`: replaces zeros with a random number from the global generator."""
    if x == 0:
        return np.random.rand()
    else:
        return x


def seed_fixture(seed):
    f = {"seed": seed}
    rnd = np.random.RandomState(seed)
    f["rand_7"] = bits_list(rnd.rand(7))
    rnd = np.random.RandomState(seed)
    # Odd counts: the second of a gaussian pair is cached across calls.
    f["randn_5_then_3"] = [bits_list(rnd.randn(5)), bits_list(rnd.randn(3))]
    rnd = np.random.RandomState(seed)
    f["randn_3x2"] = bits_list(rnd.randn(3, 2))
    f["randint"] = []
    for low, high in RANDINT_RANGES:
        rnd = np.random.RandomState(seed)
        vals = rnd.randint(low, high, size=8)
        assert vals.dtype == np.int64
        f["randint"].append({"low": low, "high": high, "values": [int(v) for v in vals]})
    rnd = np.random.RandomState(seed)
    f["uniform_m2_3_5"] = bits_list(rnd.uniform(-2.0, 3.0, 5))
    rnd = np.random.RandomState(seed)
    f["normal_1.5_2_5"] = bits_list(rnd.normal(1.5, 2.0, 5))
    rnd = np.random.RandomState(seed)
    f["permutation_10"] = [int(v) for v in rnd.permutation(10)]
    rnd = np.random.RandomState(seed)
    f["permutation_1"] = [int(v) for v in rnd.permutation(1)]
    rnd = np.random.RandomState(seed)
    lst = list(range(12))
    rnd.shuffle(lst)
    f["shuffle_list_12"] = lst
    rnd = np.random.RandomState(seed)
    rows = np.arange(15).reshape(5, 3)
    rnd.shuffle(rows)
    f["shuffle_rows_5x3"] = [int(v) for v in rows.ravel()]
    rnd = np.random.RandomState(seed)
    f["choice_10_4_replace"] = [int(v) for v in rnd.choice(10, 4, replace=True)]
    rnd = np.random.RandomState(seed)
    f["choice_10_4_noreplace"] = [int(v) for v in rnd.choice(10, 4, replace=False)]
    rnd = np.random.RandomState(seed)
    f["choice_6_2x2_noreplace"] = [int(v) for v in rnd.choice(6, (2, 2), replace=False).ravel()]

    # Interleavings on one generator: the order of draws and the cached gaussian must carry over.
    rnd = np.random.RandomState(seed)
    seq = []
    seq.append({"op": "rand_3", "bits": bits_list(rnd.rand(3))})
    seq.append({"op": "randn_3", "bits": bits_list(rnd.randn(3))})
    lst = list(range(8))
    rnd.shuffle(lst)
    seq.append({"op": "shuffle_8", "ints": lst})
    seq.append({"op": "randn_1", "bits": bits_list(rnd.randn(1))})
    seq.append({"op": "randint_0_7_4", "ints": [int(v) for v in rnd.randint(0, 7, 4)]})
    seq.append({"op": "random_sample", "bits": [bits(rnd.random_sample())]})
    seq.append({"op": "standard_normal", "bits": [bits(rnd.standard_normal())]})
    seq.append({"op": "standard_normal", "bits": [bits(rnd.standard_normal())]})
    seq.append({"op": "normal_0_1_1", "bits": bits_list(rnd.normal(0.0, 1.0, 1))})
    seq.append({"op": "permutation_5", "ints": [int(v) for v in rnd.permutation(5)]})
    seq.append({"op": "randn_2x2", "bits": bits_list(rnd.randn(2, 2))})
    c = copy.deepcopy(rnd)  # a copy must carry the cached gaussian too
    seq.append({"op": "randn_1", "bits": bits_list(rnd.randn(1))})
    seq.append({"op": "copy_randn_1", "bits": bits_list(c.randn(1))})
    seq.append({"op": "uniform_0_1_2", "bits": bits_list(rnd.uniform(0.0, 1.0, 2))})
    f["interleaved"] = seq

    # The module-level generator, as np.random.seed / np.random.rand / np.random.randn.
    np.random.seed(seed)
    g = []
    g.append({"op": "rand_3", "bits": bits_list(np.random.rand(3))})
    g.append({"op": "randn_3", "bits": bits_list(np.random.randn(3))})
    g.append({"op": "random", "bits": [bits(np.random.rand())]})
    g.append({"op": "random", "bits": [bits(np.random.random())]})
    f["global"] = g

    # The lecture's np.vectorize(func) on a small array with zeros (the first element is a zero: numpy
    # calls func on it once more to learn the output type, which draws one extra random number).
    x = np.array([[0.0, 0.5, 0.0], [0.25, 0.0, 1.0]])
    np.random.seed(seed)
    f["vectorize_input"] = bits_list(x)
    f["vectorize_shape"] = list(x.shape)
    f["vectorize_output"] = bits_list(np.vectorize(lecture_func)(x))
    return f


def lecture_fixture():
    """The lecture's own calls: RandomState(121), deep copies for biases, weights and the shuffle."""
    sizes = [784, 28, 28, 10]
    rnd = np.random.RandomState(121)

    def set_biases(bias_matrix_dim, rnd):
        return [rnd.randn(i, 1) for i in bias_matrix_dim]

    def prepare_weight_matrix_dim(sizes):
        return [[sizes[i], sizes[i + 1]] for i in range(len(sizes) - 1)]

    def set_weights(weight_matrix_dim, rnd):
        return [rnd.randn(i[1], i[0]) for i in weight_matrix_dim]

    biases = set_biases(sizes[1:], copy.deepcopy(rnd))
    weights = set_weights(prepare_weight_matrix_dim(sizes), copy.deepcopy(rnd))

    def describe(a):
        flat = a.ravel()
        picks = sorted({0, 1, 2, 3, 4, flat.size // 3, flat.size // 2, flat.size - 2, flat.size - 1})
        return {
            "shape": list(a.shape),
            "sum": float(a.sum()),
            "bits_sum": bits_sum(a),
            "picks": picks,
            "picks_bits": [bits(flat[i]) for i in picks],
        }

    out = {"biases": [describe(b) for b in biases], "weights": [describe(w) for w in weights]}
    # train() gets copy.deepcopy(rnd) and shuffles the same 60000-element list once per epoch.
    shuffler = copy.deepcopy(rnd)
    order = list(range(60000))
    epochs = []
    for _ in range(3):
        shuffler.shuffle(order)
        epochs.append({
            "first_20": order[:20],
            "last_5": order[-5:],
            "weighted_sum": str(sum(i * v for i, v in enumerate(order)) % 2**64),
        })
    out["shuffle_60000"] = epochs
    return out


def np_fixture():
    """numpy's max/min/mean/std/argmax, reshape, bincount and unique of small arrays, for nnlab::np."""
    rnd = np.random.RandomState(5)
    u8 = rnd.randint(0, 256, (3, 4, 5)).astype(np.uint8)
    f64 = rnd.randn(4, 6)
    col = rnd.randn(10, 1)
    return {
        "u8_shape": list(u8.shape),
        "u8": [int(v) for v in u8.ravel()],
        "u8_max": int(u8.max()),
        "u8_min": int(u8.min()),
        "u8_mean": bits(u8.mean()),
        "u8_std": bits(u8.std()),
        "f64_shape": list(f64.shape),
        "f64": bits_list(f64),
        "f64_mean": bits(f64.mean()),
        "f64_std": bits(f64.std()),
        "col": bits_list(col),
        "col_argmax": int(np.argmax(col)),
        **np_shape_and_count_fixture(u8, f64),
    }


def np_shape_and_count_fixture(u8, f64):
    """numpy's reshape (of a transposed view), argmax along an axis, bincount and unique."""
    rnd = np.random.RandomState(6)
    labels = rnd.randint(0, 10, 200).astype(np.uint8)
    values, counts = np.unique(labels, return_counts=True)
    return {
        "u8_t201_reshape_6_10": [int(v) for v in u8.transpose(2, 0, 1).reshape(6, 10).ravel()],
        "f64_argmax_axis0": [int(v) for v in np.argmax(f64, axis=0)],
        "f64_argmax_axis1": [int(v) for v in np.argmax(f64, axis=1)],
        "labels": [int(v) for v in labels],
        "labels_bincount": [int(v) for v in np.bincount(labels)],
        "labels_unique": [int(v) for v in values],
        "labels_counts": [int(v) for v in counts],
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    for seed in SEEDS:
        path = os.path.join(OUT, "seed_%d.json" % seed)
        with open(path, "w") as fh:
            json.dump(seed_fixture(seed), fh, indent=1)
            fh.write("\n")
    with open(os.path.join(OUT, "lecture.json"), "w") as fh:
        json.dump(lecture_fixture(), fh, indent=1)
        fh.write("\n")
    with open(os.path.join(OUT, "np.json"), "w") as fh:
        json.dump(np_fixture(), fh, indent=1)
        fh.write("\n")
    print("numpy", np.__version__, "->", OUT, file=sys.stderr)


if __name__ == "__main__":
    main()

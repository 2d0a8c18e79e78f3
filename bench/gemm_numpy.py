"""numpy's products on the shapes of crate/examples/bench_gemm.rs (run by bench/group-gemm).

The reference for `scripts/bench gemm`: `a @ b` with numpy's own OpenBLAS, on 1 and 2 threads
(threadpoolctl), transposed operands passed as `.T` views as nnlab passes `a.t()`. Prints one JSON line
per shape and thread count (`.../numpy_1t`, µs, the median of 5 blocks of ~0.1 s) and, on stderr, which
OpenBLAS numpy runs (version, kernel, threading).
"""

import json
import sys
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

# (name, m, k, n, a stored transposed, b stored transposed): the same lists as bench_gemm.rs.
F32_SHAPES = [
    ("fwd1", 128, 784, 784, False, False),
    ("fwd2", 128, 784, 100, False, False),
    ("fwd3", 128, 100, 10, False, False),
    ("dW1", 784, 128, 784, True, False),
    ("dX2", 128, 100, 784, False, True),
    ("dW2", 784, 128, 100, True, False),
    ("dX3", 128, 10, 100, False, True),
    ("dW3", 100, 128, 10, True, False),
]
F64_SHAPES = [
    ("fwd1", 28, 784, 64, False, False),
    ("fwd2", 28, 28, 64, False, False),
    ("fwd3", 10, 28, 64, False, False),
    ("dW3", 10, 64, 28, False, True),
    ("dA2", 28, 10, 64, True, False),
    ("dW2", 28, 64, 28, False, True),
    ("dA1", 28, 28, 64, True, False),
    ("dW1", 28, 64, 784, False, True),
    ("eval1", 28, 784, 10000, False, False),
]


def time_us(f):
    """Median µs of one call of f over 5 blocks of ~0.1 s (as bench_gemm.rs's time_us)."""
    f()
    t = time.perf_counter()
    f()
    once = max(time.perf_counter() - t, 1e-7)
    reps = min(max(int(0.1 / once), 1), 100_000)
    blocks = []
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(reps):
            f()
        blocks.append((time.perf_counter() - t) * 1e6 / reps)
    return sorted(blocks)[2]


def main():
    rng = np.random.default_rng(0)
    for info in threadpool_info():
        if info.get("internal_api") in ("openblas", "scipy_openblas"):
            print(
                f"  numpy {np.__version__}: OpenBLAS {info.get('version')}, kernel {info.get('architecture')},"
                f" threading {info.get('threading_layer')}",
                file=sys.stderr,
            )
    for threads in (1, 2):
        with threadpool_limits(threads):
            for dtype, shapes in (("f32", F32_SHAPES), ("f64", F64_SHAPES)):
                for name, m, k, n, ta, tb in shapes:
                    a = rng.uniform(-1, 1, (k, m) if ta else (m, k)).astype(dtype.replace("f", "float"))
                    b = rng.uniform(-1, 1, (n, k) if tb else (k, n)).astype(dtype.replace("f", "float"))
                    a, b = (a.T if ta else a), (b.T if tb else b)
                    us = time_us(lambda: a @ b)
                    full = f"{dtype}/{name} {m}x{k}x{n}{' Aᵀ' if ta else ''}{' Bᵀ' if tb else ''}/numpy_{threads}t"
                    print(json.dumps({"group": "gemm", "name": full, "value": round(us, 3), "unit": "us"}))
                    gflops = 2 * m * k * n / us / 1e3
                    print(f"  gemm {full:<40} {us:>10.1f} us  {gflops:>6.1f} GFLOP/s", file=sys.stderr)


if __name__ == "__main__":
    main()

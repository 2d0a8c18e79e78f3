"""Pre-build the nnlab kernel's build folder, so that kernels start warm.

Starts the kernel once with NNLAB_KERNEL_BUILD_DIR pointing at a fresh folder (instead of a copy of
the pre-built one), runs a few cells that compile what every session compiles, shuts it down and
moves the folder into place as target/kernel/prebuilt.

Usage: python scripts/prebuild_kernel.py <state dir (target/kernel)> [--clean]
  --clean  build from nothing instead of starting from the previous pre-built folder
"""

import os
import shutil
import sys
import time

from jupyter_client.manager import start_new_kernel

WARM_CELLS = [
    "1 + 1",
    "let warm_up = nnlab::VERSION.len();",
    'nnlab::display::Html::new("<b>nnlab</b>")',
]


def main() -> int:
    state = os.path.abspath(sys.argv[1])
    fresh = os.path.join(state, "prebuilt.new")
    shutil.rmtree(fresh, ignore_errors=True)
    previous = os.path.join(state, "prebuilt")
    if os.path.isdir(previous) and "--clean" not in sys.argv:
        # Start from the previous build: cargo then recompiles only what changed (usually nnlab itself),
        # seconds to a minute instead of the minutes of a build from nothing.
        shutil.copytree(previous, fresh, symlinks=True)
    else:
        os.makedirs(fresh)
    env = dict(os.environ, NNLAB_KERNEL_BUILD_DIR=fresh)
    t0 = time.time()
    # A cold build of the crate and its dependencies takes minutes on 2 cores.
    km, kc = start_new_kernel(kernel_name="nnlab", startup_timeout=1800, env=env)
    print(f"    kernel started in {time.time() - t0:.0f} s", flush=True)
    try:
        for code in WARM_CELLS:
            # The first cell waits for the kernel to build and load nnlab (minutes when cold).
            reply = kc.execute_interactive(code, timeout=1800, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                print(f"prebuild: cell {code!r} failed: {reply['content']}", file=sys.stderr)
                return 1
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    final = os.path.join(state, "prebuilt")
    old = os.path.join(state, "prebuilt.old")
    shutil.rmtree(old, ignore_errors=True)
    if os.path.exists(final):
        os.rename(final, old)
    os.rename(fresh, final)
    shutil.rmtree(old, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

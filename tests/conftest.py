"""Shared helpers for the end-to-end tests: start the nnlab kernel and run cells in it."""

import os
import pathlib
import shutil
import time

import pytest
from jupyter_client.manager import KernelManager, start_new_kernel

ROOT = pathlib.Path(__file__).resolve().parent.parent
KERNEL_NAME = "nnlab"
# A kernel whose pre-built build folder is missing or stale compiles the crate at start.
START_TIMEOUT = 1800


class Cell:
    """What one executed cell produced."""

    def __init__(self, reply, messages, seconds):
        self.reply = reply
        self.messages = messages
        self.seconds = seconds
        self.status = reply["content"]["status"]
        self.stdout = "".join(
            m["content"]["text"] for m in messages
            if m["msg_type"] == "stream" and m["content"]["name"] == "stdout"
        )
        self.stderr = "".join(
            m["content"]["text"] for m in messages
            if m["msg_type"] == "stream" and m["content"]["name"] == "stderr"
        )
        self.data = {}
        for m in messages:
            if m["msg_type"] in ("execute_result", "display_data"):
                self.data.update(m["content"]["data"])
            if m["msg_type"] == "error":
                self.stderr += "\n".join(m["content"].get("traceback", []))
        self.ename = reply["content"].get("ename")
        self.evalue = reply["content"].get("evalue")

    def __repr__(self):
        return f"Cell(status={self.status!r}, stdout={self.stdout!r}, stderr={self.stderr!r}, data={list(self.data)})"


class Session:
    """A running kernel with a client; `run(code)` executes one cell."""

    def __init__(self, km, kc):
        self.km = km
        self.kc = kc

    def run(self, code, timeout=600):
        """Execute one cell; everything it printed has arrived when its idle status has (kernel/evcxr/'s patch
        and the kernel's output thread see to it; tests/test_session.py checks it)."""
        messages = []
        t0 = time.time()
        reply = self.kc.execute_interactive(code, timeout=timeout, output_hook=messages.append)
        seconds = time.time() - t0
        return Cell(reply, [m for m in messages if m["msg_type"] not in ("status", "execute_input")], seconds)

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=False)


def start_session(kernel_name=KERNEL_NAME, kernel_spec_manager=None, **start_kwargs):
    """Start a kernel and wait until it answers (a stale pre-built folder means a long first start)."""
    if kernel_spec_manager is None:
        km, kc = start_new_kernel(kernel_name=kernel_name, startup_timeout=START_TIMEOUT, **start_kwargs)
        return Session(km, kc)
    km = KernelManager(kernel_name=kernel_name, kernel_spec_manager=kernel_spec_manager)
    km.start_kernel(**start_kwargs)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=START_TIMEOUT)
    return Session(km, kc)


@pytest.fixture(scope="module")
def session():
    s = start_session()
    yield s
    s.close()


def kernel_binary():
    """The nnlab kernel's binary (kernel/), built by scripts/setup. With an empty evcxr config folder it is a
    bare evcxr kernel: no nnlab, no prelude."""
    found = ROOT / "target" / "nnlab-kernel" / "release" / "nnlab-kernel"
    assert os.access(found, os.X_OK), f"{found} is missing (scripts/setup builds it)"
    return str(found)


def build_folder(kernel_pid, state=ROOT / "target" / "kernel"):
    """The build folder kernel/launch made for this kernel (its pid file holds the kernel's pid) under the
    kernel state folder `state` (NNLAB_KERNEL_STATE; target/kernel by default)."""
    for pidfile in (state / "runs").glob("*/pid"):
        if pidfile.read_text().strip() == str(kernel_pid):
            return pidfile.parent
    raise RuntimeError(f"no build folder under {state}/runs for kernel pid {kernel_pid}")


def write_kernelspec(directory, name, argv, env=None):
    """Write a kernelspec folder `directory/kernels/name` and return `directory` (for JUPYTER_PATH)."""
    spec = pathlib.Path(directory) / "kernels" / name
    spec.mkdir(parents=True, exist_ok=True)
    import json

    (spec / "kernel.json").write_text(json.dumps({
        "argv": argv, "display_name": name, "language": "rust", "interrupt_mode": "message", "env": env or {},
    }))
    return directory


def copy_prebuilt(dest):
    """A private copy of the pre-built evcxr build folder (as kernel/launch makes one)."""
    src = ROOT / "target" / "kernel" / "prebuilt"
    if src.is_dir():
        shutil.copytree(src, dest, symlinks=True, dirs_exist_ok=True)
    else:
        os.makedirs(dest, exist_ok=True)
    return dest

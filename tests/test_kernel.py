"""The kernel set-up: the crate from a plain evcxr session, two kernels at once, warm starts."""

import os
import pathlib
import shutil
import subprocess
import tempfile
import time
import tomllib

from conftest import ROOT, build_folder, copy_prebuilt, kernel_binary, start_session, write_kernelspec
from jupyter_client.kernelspec import KernelSpecManager


def test_dep_line_works_in_a_plain_evcxr_session(tmp_path):
    """A student with their own evcxr kernel loads nnlab with one `:dep` line (no preload, no prelude): the
    kernel's binary with an empty evcxr config is such a kernel."""
    config = tmp_path / "empty-config"
    config.mkdir()
    build = copy_prebuilt(tmp_path / "build")  # same dependency build, so this test is not a cold compile
    # ... and the same cargo profile (kernel/cargo-config.toml), or every dependency would be rebuilt.
    (tmp_path / ".cargo").mkdir()
    shutil.copy(ROOT / "kernel" / "cargo-config.toml", tmp_path / ".cargo" / "config.toml")
    spec_root = write_kernelspec(
        tmp_path / "spec", "plain-evcxr", [kernel_binary(), "{connection_file}"],
        env={"EVCXR_CONFIG_DIR": str(config), "EVCXR_TMPDIR": str(build)},
    )
    ksm = KernelSpecManager(kernel_dirs=[str(pathlib.Path(spec_root) / "kernels")])
    s = start_session("plain-evcxr", kernel_spec_manager=ksm)
    try:
        before = s.run("Html::new(\"x\")")
        assert before.status == "error", "the plain session must not know nnlab before :dep"
        dep = s.run(f':dep nnlab = {{ path = "{ROOT / "crate"}" }}', timeout=1200)
        assert dep.status == "ok", dep
        cell = s.run('use nnlab::prelude::*;\nHtml::new("<b>from :dep</b>")', timeout=600)
        assert cell.status == "ok", cell
        assert cell.data.get("text/html") == "<b>from :dep</b>", cell
    finally:
        s.close()


def test_two_kernels_at_once_use_their_own_build_folders():
    a = start_session()
    b = start_session()
    try:
        pa = a.run('std::env::var("EVCXR_TMPDIR").unwrap()').data["text/plain"]
        pb = b.run('std::env::var("EVCXR_TMPDIR").unwrap()').data["text/plain"]
        assert pa != pb, (pa, pb)
        assert a.run("let x = 1; x + 1").data.get("text/plain") == "2"
        assert b.run("let x = 2; x + 1").data.get("text/plain") == "3"
    finally:
        a.close()
        b.close()
    # kernel/launch removes the folders of kernels that are gone when the next one starts.
    c = start_session()
    try:
        runs = ROOT / "target" / "kernel" / "runs"
        alive = [d for d in runs.iterdir() if d.is_dir()]
        assert len(alive) <= 2, alive  # this kernel's, and possibly one of another test running now
    finally:
        c.close()


def test_kernelspec_is_generated_for_this_checkout():
    ksm = KernelSpecManager()
    spec = ksm.get_kernel_spec("nnlab")
    assert spec.display_name == "Rust (nnlab)"
    assert spec.argv[0] == str(ROOT / "kernel" / "launch")
    init = (ROOT / "target" / "kernel" / "config" / "init.evcxr").read_text()
    assert f'path = "{ROOT / "crate"}"' in init


def test_warm_start_is_quick():
    """A start copies the pre-built folder and compiles nothing of nnlab: its library in the kernel's build
    folder is the pre-built one (cp -a keeps its time), not one rebuilt now. A rebuild at every start (a stale
    pre-built folder, e.g. sources rewritten with the same content after the folder was made) costs ~10 s
    on 2 cores; a cold compile, minutes."""
    t0 = time.time()
    s = start_session()
    try:
        assert s.run("1 + 1").data.get("text/plain") == "2"
        folder = build_folder(s.km.provisioner.process.pid)
        libs = list(folder.rglob("*.rlib"))
        assert any(lib.name.startswith("libnnlab-") for lib in libs), f"no nnlab library in {folder}"
        rebuilt = [lib.name for lib in libs if lib.stat().st_mtime >= t0]
        assert not rebuilt, f"the kernel start recompiled {rebuilt}: target/kernel/prebuilt is stale"
    finally:
        s.close()
    assert time.time() - t0 < 60, f"kernel start took {time.time() - t0:.0f} s: is target/kernel/prebuilt stale?"


def lock_versions(path):
    """{(name, version)} of the registry packages in a Cargo.lock."""
    packages = tomllib.loads(pathlib.Path(path).read_text()).get("package", [])
    return {(p["name"], p["version"]) for p in packages if "source" in p}


def test_kernel_builds_with_the_workspaces_dependency_versions():
    """The kernel's build folder holds nnlab's dependencies at the versions of the workspace's Cargo.lock, the
    ones the tests ran with. Unpinned, evcxr's `:dep` resolves them afresh at every start: a new release of
    any of them (crc32fast 1.5.6 on 2026-12-03) then changed what a student runs and made every start
    recompile it and everything above it (nnlab included: 60 s instead of 14)."""
    s = start_session()
    try:
        assert s.run("nnlab::VERSION.len() > 0").data.get("text/plain") == "true"
        kernel = lock_versions(build_folder(s.km.provisioner.process.pid) / "Cargo.lock")
    finally:
        s.close()
    workspace = lock_versions(ROOT / "Cargo.lock")
    assert kernel, "the kernel's Cargo.lock names no dependency"
    assert kernel <= workspace, f"not the workspace's versions: {sorted(kernel - workspace)}"


def test_kernel_runs_where_its_build_folder_and_the_toolchain_share_a_folder(monkeypatch):
    """A cell's library finds the toolchain's libstd wherever the two live. Cargo's rpath for it is relative to
    the folder it is built in, and evcxr loads a copy from one folder up, so the rpath is only right when the
    build folder and the toolchain share no folder but / (this checkout under /work, rustup's under /root).
    A student's ~/nnlab beside ~/.rustup, or the classroom image's /opt/nnlab beside /opt/rust, got "dlopen
    failed" on the first cell until kernel/launch put the toolchain's library folder on LD_LIBRARY_PATH."""
    sysroot = pathlib.Path(subprocess.run(["rustc", "--print", "sysroot"], capture_output=True, text=True,
                                          check=True).stdout.strip()).resolve()
    # The highest folder above the toolchain, other than /, that this user may write in (e.g. /root, /home/u).
    beside = next((p for p in reversed(sysroot.parents) if p != pathlib.Path("/") and os.access(p, os.W_OK)),
                  None)
    assert beside is not None, f"no writable folder above the toolchain {sysroot}"
    state = pathlib.Path(tempfile.mkdtemp(prefix=".nnlab-kernel-test-", dir=beside))
    try:
        kernel_state = ROOT / "target" / "kernel"
        shutil.copytree(kernel_state / "config", state / "config")
        shutil.copytree(kernel_state / ".cargo", state / ".cargo")
        (state / "prebuilt").symlink_to(kernel_state / "prebuilt")  # the kernel copies what it points to
        monkeypatch.setenv("NNLAB_KERNEL_STATE", str(state))
        s = start_session()
        try:
            cell = s.run("1 + 1")
            assert cell.status == "ok" and cell.data.get("text/plain") == "2", (cell, cell.evalue)
            build_folder(s.km.provisioner.process.pid, state)  # it built under `state`, beside the toolchain
        finally:
            s.close()
    finally:
        shutil.rmtree(state, ignore_errors=True)


def test_kernel_starts_without_a_network(monkeypatch):
    """No network, no registry: a kernel starts and runs cells from the pre-built folder, as on a classroom
    server or in the image run with --network=none. evcxr checks `:dep nnlab` with `cargo metadata` on a dummy
    crate; without the crate's Cargo.lock beside it, that resolved afresh and asked the registry ("failed to get
    `base64`"). Every proxy cargo may use points at a closed port here."""
    for var in ("CARGO_HTTP_PROXY", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY"):
        monkeypatch.setenv(var, "http://127.0.0.1:9")
    monkeypatch.setenv("CARGO_NET_RETRY", "0")
    s = start_session()
    try:
        cell = s.run("nnlab::VERSION.len() > 0")
        assert cell.status == "ok" and cell.data.get("text/plain") == "true", (cell, cell.evalue)
        cell = s.run("np::mean(&array![1.0, 2.0, 3.0])?")
        assert cell.status == "ok" and cell.data.get("text/plain") == "2.0", (cell, cell.evalue)
    finally:
        s.close()

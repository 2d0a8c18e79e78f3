"""A classroom's JupyterHub (classroom/jupyterhub_config.py) started for a test or a benchmark, and a
student's view of it: their server, a kernel through the hub's proxy, cells run over its websocket.
Everything on 127.0.0.1."""

import asyncio
import contextlib
import json
import os
import pathlib
import secrets
import signal
import socket
import subprocess
import time
import uuid

import requests
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

ROOT = pathlib.Path(__file__).resolve().parent.parent


def free_port_block():
    """A port p with p, p+1, p+2 free (the proxy, the hub, the proxy's API)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            p = s.getsockname()[1]
        if p + 2 > 65535:
            continue
        try:
            for q in (p + 1, p + 2):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", q))
            return p
        except OSError:
            continue
    raise RuntimeError("no three free ports in a row")


@contextlib.contextmanager
def running_hub(folder, password):
    """Starts the hub with its state and the students' homes in `folder`; yields a dict with its `url`, an
    admin `api` session and `token`, `homes`, `log` and `pid`. Stops the servers, the proxy and the hub."""
    proxy = ROOT / "classroom" / "node_modules" / ".bin" / "configurable-http-proxy"
    assert proxy.exists(), "configurable-http-proxy is missing: run scripts/setup --hub"
    port, token = free_port_block(), secrets.token_hex(16)
    env = dict(
        os.environ,
        NNLAB_HUB_PASSWORD=password,
        NNLAB_HUB_PORT=str(port),
        NNLAB_HUB_STATE=str(folder / "state"),
        NNLAB_HUB_HOMES=str(folder / "home"),
        NNLAB_HUB_ADMIN_TOKEN=token,
        PATH=f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}",
    )
    log_path = folder / "hub.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "jupyterhub"), "-f", str(ROOT / "classroom" / "jupyterhub_config.py")],
        cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    api = requests.Session()
    api.headers["Authorization"] = f"token {token}"
    tail = lambda: log_path.read_text()[-3000:]  # noqa: E731
    try:
        deadline = time.time() + 60
        while True:
            assert proc.poll() is None, "the hub exited:\n" + tail()
            try:
                if api.get(f"{url}/hub/api/", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            assert time.time() < deadline, "the hub did not answer in 60 s:\n" + tail()
            time.sleep(0.5)
        yield {"url": url, "api": api, "homes": folder / "home", "token": token, "log": log_path, "pid": proc.pid}
    finally:
        try:
            for user in api.get(f"{url}/hub/api/users", timeout=10).json():
                api.delete(f"{url}/hub/api/users/{user['name']}/server", timeout=60)
        except (requests.RequestException, ValueError):
            pass
        os.killpg(proc.pid, signal.SIGTERM)  # the hub stops the proxy and the servers it started
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def ask_for_server(hub, name):
    """Makes the user `name` (if new) and asks the hub to start their server."""
    url, api = hub["url"], hub["api"]
    api.post(f"{url}/hub/api/users/{name}", timeout=10)  # 201, or 409 when a login already made the user
    r = api.post(f"{url}/hub/api/users/{name}/server", timeout=60)
    assert r.status_code in (201, 202), f"starting {name}'s server: {r.status_code} {r.text}"


def wait_for_server(hub, name, timeout=300):
    """Waits until `name`'s server is ready."""
    deadline = time.time() + timeout
    while True:
        user = hub["api"].get(f"{hub['url']}/hub/api/users/{name}", timeout=10).json()
        server = user.get("servers", {}).get("")
        if server and server.get("ready"):
            return
        assert time.time() < deadline, f"{name}'s server was not ready in {timeout} s:\n" + hub["log"].read_text()[-3000:]
        time.sleep(1)


def start_server(hub, name):
    """Starts `name`'s server and waits until it is ready."""
    ask_for_server(hub, name)
    wait_for_server(hub, name)


def message(msg_type, content, session):
    return {
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": session, "username": "test",
                   "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": {}, "content": content, "channel": "shell", "buffers": [],
    }


async def run_cells(hub, name, cells):
    """Starts an nnlab kernel in `name`'s server through the proxy and runs `cells` one after the other;
    for each, (status, its outputs as text, seconds from the start until its reply)."""
    url, headers = hub["url"], {"Authorization": f"token {hub['token']}"}
    r = requests.post(f"{url}/user/{name}/api/kernels", json={"name": "nnlab"}, headers=headers, timeout=60)
    assert r.status_code == 201, f"starting a kernel for {name}: {r.status_code} {r.text}"
    kernel = r.json()["id"]
    ws = await websocket_connect(HTTPRequest(
        f"ws://{url.split('://')[1]}/user/{name}/api/kernels/{kernel}/channels", headers=headers,
        request_timeout=60, connect_timeout=60))
    session, results, start = uuid.uuid4().hex, [], time.time()
    try:
        for code in cells:
            request = message("execute_request", {"code": code, "silent": False, "store_history": True,
                                                  "user_expressions": {}, "allow_stdin": False}, session)
            ws.write_message(json.dumps(request))
            texts, status, idle = [], None, False
            while status is None or not idle:  # the reply on shell, and "idle" on iopub after the outputs
                raw = await asyncio.wait_for(ws.read_message(), timeout=600)
                assert raw is not None, f"{name}'s kernel connection closed"
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != request["header"]["msg_id"]:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                if kind == "stream":
                    texts.append(content["text"])
                elif kind in ("execute_result", "display_data"):
                    texts.append(content["data"].get("text/plain", ""))
                elif kind == "error":
                    texts.append(f"{content['ename']}: {content['evalue']}")
                elif kind == "execute_reply":
                    status = content["status"]
                elif kind == "status":
                    idle = content["execution_state"] == "idle"
            results.append((status, "".join(texts), time.time() - start))
    finally:
        ws.close()
        requests.delete(f"{url}/user/{name}/api/kernels/{kernel}", headers=headers, timeout=30)
    return results

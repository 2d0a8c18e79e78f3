# JupyterHub for a class on one machine: every student logs in with the course's shared password, gets a
# home of their own with a copy of the lecture, and a JupyterLab whose "Rust (nnlab)" kernel starts from
# the one pre-built build folder that scripts/setup made (read-only for them: each kernel copies it).
#
# Started by scripts/hub (which installs what it needs); the settings come from the environment:
#   NNLAB_HUB_PASSWORD  the students' password (required, at least 8 characters)
#   NNLAB_HUB_PORT      the public port on 127.0.0.1 (default 8000); the hub itself and the proxy's API
#                       take the next two ports
#   NNLAB_HUB_IP        the address to listen on (default 127.0.0.1; 0.0.0.0 to serve a network)
#   NNLAB_HUB_STATE     the hub's database, cookie secret and proxy pid (default target/classroom/state)
#   NNLAB_HUB_HOMES     the students' homes (default target/classroom/home)
#   NNLAB_HUB_ADMIN_TOKEN  an API token for an admin service (scripts/bench classroom and the tests use it)
#   NNLAB_HUB_MEM_LIMIT the memory limit per student (default 3G: the lecture's measured peak is 1.9 GB)
import os
import pathlib
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
env = os.environ.get
c = get_config()  # noqa: F821 (JupyterHub's config loader provides it)

port = int(env("NNLAB_HUB_PORT", "8000"))
ip = env("NNLAB_HUB_IP", "127.0.0.1")
state = pathlib.Path(env("NNLAB_HUB_STATE", str(ROOT / "target" / "classroom" / "state")))
homes = pathlib.Path(env("NNLAB_HUB_HOMES", str(ROOT / "target" / "classroom" / "home")))
state.mkdir(parents=True, exist_ok=True)
homes.mkdir(parents=True, exist_ok=True)

# --- where it listens: the proxy in front, the hub and the proxy's API on loopback behind it -----------
c.JupyterHub.bind_url = f"http://{ip}:{port}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{port + 1}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{port + 2}"
c.ConfigurableHTTPProxy.command = [str(ROOT / "classroom" / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "cookie_secret")

# --- who may log in: any student name, with the course's password (JupyterHub's shared-password one) ---
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = env("NNLAB_HUB_PASSWORD")
c.Authenticator.allow_all = True
if env("NNLAB_HUB_ADMIN_TOKEN"):
    c.JupyterHub.services = [{"name": "classroom-admin", "api_token": env("NNLAB_HUB_ADMIN_TOKEN")}]
    c.JupyterHub.load_roles = [{
        "name": "classroom-admin",
        "scopes": ["admin:users", "admin:servers", "access:servers", "tokens"],
        "services": ["classroom-admin"],
    }]

# --- each student's server: a local process under this account, in a home of its own -----------------
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = str(homes / "{username}")
c.Spawner.cmd = [str(ROOT / ".venv" / "bin" / "jupyterhub-singleuser")]
if os.getuid() == 0:  # a container or CI as root: Jupyter refuses root without it
    c.Spawner.args = ["--allow-root"]
c.Spawner.default_url = "/lab/tree/lecture4.ipynb"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
# The toolchain and its registry are the machine's, not in the student's (new) home.
home = pathlib.Path.home()
c.Spawner.environment = {
    "CARGO_HOME": env("CARGO_HOME", str(home / ".cargo")),
    "RUSTUP_HOME": env("RUSTUP_HOME", str(home / ".rustup")),
    **{k: env(k) for k in ("NNLAB_DATA", "KERAS_HOME") if env(k)},
}
# Not enforced by a local process spawner (it passes MEM_LIMIT to the server); DockerSpawner and
# KubeSpawner enforce it. 3G: the lecture's measured peak (kernel, cells and compiler) is 1.9 GB.
c.Spawner.mem_limit = env("NNLAB_HUB_MEM_LIMIT", "3G")


def copy_the_lecture(spawner):
    """A student's first start: their own copy of the notebook (later starts keep their edits)."""
    home = pathlib.Path(spawner.home_dir)
    home.mkdir(parents=True, exist_ok=True)
    notebook = home / "lecture4.ipynb"
    if not notebook.exists():
        shutil.copyfile(ROOT / "notebooks" / "lecture4.ipynb", notebook)


c.Spawner.pre_spawn_hook = copy_the_lecture

"""The classroom: a real JupyterHub (classroom/jupyterhub_config.py, as scripts/hub starts it) with its proxy,
two students who log in, get their servers and their own copy of the lecture, and run cells in their own
nnlab kernels at the same time, through the hub's proxy. Everything on 127.0.0.1; everything it starts is
stopped at the end."""

import asyncio
import re
import secrets

import pytest
import requests

from hub import run_cells, running_hub, start_server

STUDENTS = ["ada", "alan"]
PASSWORD = "lecture-4-" + secrets.token_hex(4)


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    with running_hub(tmp_path_factory.mktemp("classroom"), PASSWORD) as h:
        yield h


def test_a_student_logs_in_with_the_course_password(hub):
    browser = requests.Session()
    page = browser.get(f"{hub['url']}/hub/login", timeout=10)
    assert page.ok
    xsrf = browser.cookies.get("_xsrf") or re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)
    wrong = browser.post(f"{hub['url']}/hub/login", data={"username": "ada", "password": "not-it-at-all",
                         "_xsrf": xsrf}, allow_redirects=False, timeout=10)
    assert wrong.status_code == 403, f"a wrong password let the student in ({wrong.status_code})"
    right = browser.post(f"{hub['url']}/hub/login", data={"username": "ada", "password": PASSWORD, "_xsrf": xsrf},
                         allow_redirects=False, timeout=10)
    assert right.status_code == 302, f"the course password was refused ({right.status_code}): {right.text[:300]}"
    assert "jupyterhub-session-id" in browser.cookies or any("jupyterhub" in c for c in browser.cookies.keys())


def test_two_students_run_the_lecture_in_their_own_kernels(hub):
    for name in STUDENTS:
        start_server(hub, name)
        notebook = hub["homes"] / name / "lecture4.ipynb"
        assert notebook.exists(), f"{name} got no copy of the lecture"
        listing = requests.get(f"{hub['url']}/user/{name}/api/contents/lecture4.ipynb?content=0",
                               headers={"Authorization": f"token {hub['token']}"}, timeout=30)
        assert listing.ok, f"{name}'s server does not show the lecture: {listing.status_code}"

    cells = [
        "let quick = 6 * 7;",
        "let (x, labels) = (np::reshape(&Array1::from_iter(0..784u32), (28, 28))?, array![1u8, 1, 2]);",
        'println!("{quick} {:?} {}", x.shape(), np::bincount(&labels)?);',
        "np::reshape(&x, (3, 3))?",  # a student's mistake: an error, and the variables stay
        "quick + 1",
    ]

    async def both():
        return await asyncio.gather(*(run_cells(hub, name, cells) for name in STUDENTS))

    for name, results in zip(STUDENTS, asyncio.run(both())):
        statuses = [s for s, _, _ in results]
        assert statuses == ["ok", "ok", "ok", "error", "ok"], f"{name}: {results}"
        assert "42 [28, 28] [0, 2, 1]" in results[2][1], f"{name}: {results[2]}"
        assert "ShapeError" in results[3][1] and "np::reshape" in results[3][1], f"{name}: {results[3]}"
        assert "43" in results[4][1], f"{name}: {results[4]}"

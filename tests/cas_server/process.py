"""Start the loopback CAS server as a subprocess: migrate its own SQLite database, create
its user and service pattern, serve it with `runserver --noreload` on a free port."""

from __future__ import annotations

import contextlib
import html
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def cas_server(directory: Path, username: str, password: str):
    """Yields the server URL, e.g. http://127.0.0.1:PORT/cas/ ."""
    env = {
        **os.environ,
        "CAS_TEST_DIR": str(directory),
        "DJANGO_SETTINGS_MODULE": "tests.cas_server.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
    }
    env.pop("CAMPUSGRID_TEST_NOW", None)
    run = {"env": env, "cwd": ROOT, "check": True, "capture_output": True, "timeout": 180}
    subprocess.run([sys.executable, "-m", "django", "migrate", "--noinput"], **run)
    subprocess.run([sys.executable, "-m", "tests.cas_server.setup_world", username, password], **run)
    port = _free_port()
    log = open(directory / "runserver.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/cas/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "login", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((directory / "runserver.log").read_text()[-3000:])
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def service_ticket(cas_url: str, service: str, username: str, password: str) -> str:
    """Sign in on the CAS server's own login form, as a browser would, and return the service
    ticket it redirects to `service` with."""
    import requests

    session = requests.Session()
    page = session.get(cas_url + "login", params={"service": service}, timeout=10)
    fields = {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(
            r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text
        )
    }
    fields.update({"username": username, "password": password})
    answer = session.post(page.url, data=fields, allow_redirects=False, timeout=10)
    location = answer.headers.get("Location", "")
    match = re.search(r"[?&]ticket=([^&]+)", location)
    if not match:
        raise AssertionError(f"no ticket from the CAS server ({answer.status_code}): {answer.text[:500]}")
    return match.group(1)

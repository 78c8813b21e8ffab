"""Several app servers behind nginx, as the README's deployment section documents them.

Real processes, no mocks of our own code: nginx (Debian's) terminates TLS with the README's
server block, balances over an upstream of two `campusgrid serve` processes started with the
README's production env file, on one PostgreSQL database and one S3-compatible bucket (moto's
server, speaking the S3 protocol); each server has its own data folder. A dorm head signs in
and files a report with a photo; the counselor opens it and its photo — the requests land on
both servers (told apart by the request id nginx sets, found in each server's JSON log), the
session holds across them, and the photo comes from the bucket, not from a data folder. The
README's systemd unit passes `systemd-analyze verify`.

Needs PostgreSQL and nginx (`.ci/run` installs Debian's nginx-light; skipped without it unless
CAMPUSGRID_REQUIRE_NGINX=1)."""

import contextlib
import io
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from PIL import Image

from tests import world as world_module
from tests.ops.test_production_settings import README_ENV, SRC
from tests.ops.test_storage import s3_server  # noqa: F401  (the fixture)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HAVE_NGINX = os.path.exists(NGINX)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not HAVE_NGINX and os.environ.get("CAMPUSGRID_REQUIRE_NGINX") != "1",
        reason="needs nginx (apt-get install -y nginx-light)",
    ),
]

README = Path(SRC).parent / "README.md"
PASSWORD = "Grid-2026-two-servers"


def _block(lang: str, after: str) -> str:
    """The first ```lang block of the README after the line containing `after`."""
    text = README.read_text(encoding="utf-8")
    tail = text.split(after, 1)[1]
    return tail.split(f"```{lang}\n", 1)[1].split("```", 1)[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, *, timeout: float = 60, **kwargs) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2, **kwargs).status_code < 500:
                return
        except httpx.HTTPError as exc:
            last = exc
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer: {last}")


def _certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def nginx_conf(folder: Path, *, upstream: list[int], http_port: int, https_port: int, cert, key) -> Path:
    """The README's server block, with the several-servers upstream, on loopback ports."""
    site = _block("nginx", "/etc/nginx/sites-available/campusgrid")
    several = README.read_text(encoding="utf-8").split("### Several app servers", 1)[1]
    assert "upstream campusgrid {" in several and "proxy_pass http://campusgrid;" in several
    assert site.count("proxy_pass http://127.0.0.1:8000;") == 1
    site = (
        site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
        .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
        .replace("/etc/ssl/campusgrid/fullchain.pem", str(cert))
        .replace("/etc/ssl/campusgrid/privkey.pem", str(key))
        .replace("proxy_pass http://127.0.0.1:8000;", "proxy_pass http://campusgrid;")
    )
    assert str(cert) in site and f":{https_port} ssl" in site, site
    servers = " ".join(f"server 127.0.0.1:{port};" for port in upstream)
    temp = " ".join(
        f"{kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = folder / "nginx.conf"
    conf.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        + "events { worker_connections 256; }\n"
        + f"http {{\n access_log {folder}/access.log;\n {temp}\n"
        + f" upstream campusgrid {{ {servers} }}\n{site}\n}}\n",
        encoding="utf-8",
    )
    return conf


def server_env(*, bind: str, data: Path, https_port: int, s3: str) -> dict:
    db = settings.DATABASES["default"]
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("CAMPUSGRID_", "DATABASE_URL", "DJANGO_"))
    }
    env.pop("DEBUG", None)
    env.update(README_ENV)
    env.update(
        PYTHONPATH=SRC,
        # the test process's keys: the servers read what the test wrote
        SECRET_KEY=settings.SECRET_KEY,
        CAMPUSGRID_FIELD_KEYS=",".join(settings.FIELD_ENCRYPTION_KEYS),
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        CAMPUSGRID_DATA_DIR=str(data),
        CAMPUSGRID_BIND=bind,
        CAMPUSGRID_WORKERS="1",
        CAMPUSGRID_THREADS="2",
        ALLOWED_HOSTS="localhost",
        CSRF_TRUSTED_ORIGINS=f"https://localhost:{https_port}",
        CAMPUSGRID_SITE_URL=f"https://localhost:{https_port}",
        CAMPUSGRID_STORAGE="s3",
        CAMPUSGRID_S3_BUCKET="campusgrid",
        CAMPUSGRID_S3_ENDPOINT_URL=s3,
        CAMPUSGRID_S3_ACCESS_KEY="k",
        CAMPUSGRID_S3_SECRET_KEY="s",
        CAMPUSGRID_S3_REGION="us-east-1",
        CAMPUSGRID_BACKUP_TIME="",
    )
    return env


@pytest.fixture
def deployment(tmp_path, s3_server):  # noqa: F811
    endpoint, bucket = s3_server
    ports = [_free_port(), _free_port()]
    http_port, https_port = _free_port(), _free_port()
    processes, logs = [], []
    for n, port in enumerate(ports):
        data = tmp_path / f"app{n + 1}"
        data.mkdir()
        log = (tmp_path / f"app{n + 1}.log").open("w")
        logs.append((data, tmp_path / f"app{n + 1}.log"))
        env = server_env(bind=f"127.0.0.1:{port}", data=data, https_port=https_port, s3=endpoint)
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "campusgrid", "serve", "--quiet"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    cert, key = _certificate(tmp_path)
    conf = nginx_conf(
        tmp_path, upstream=ports, http_port=http_port, https_port=https_port, cert=cert, key=key
    )
    checked = subprocess.run(
        [NGINX, "-t", "-e", str(tmp_path / "error.log"), "-p", str(tmp_path), "-c", str(conf)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    nginx = subprocess.Popen(
        [NGINX, "-e", str(tmp_path / "error.log"), "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for port in ports:
            _wait_for(f"http://127.0.0.1:{port}/healthz", headers={"Host": "localhost"})
        base = f"https://localhost:{https_port}"
        _wait_for(base + "/healthz", verify=ssl.create_default_context(cafile=str(cert)))
        yield {
            "base": base,
            "http": f"http://localhost:{http_port}",
            "cert": str(cert),
            "logs": logs,
            "bucket": bucket,
        }
    finally:
        nginx.terminate()
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, 15)
        for process in [nginx, *processes]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _sign_in(base: str, cert: str, user) -> httpx.Client:
    client = httpx.Client(
        base_url=base,
        verify=ssl.create_default_context(cafile=cert),
        timeout=30,
        headers={"Referer": base + "/"},
    )
    page = client.get("/accounts/login/")
    assert page.status_code == 200, page.text[:300]
    token = client.cookies.get("csrftoken")
    answer = client.post(
        "/accounts/login/",
        data={"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token, "next": "/"},
    )
    assert answer.status_code == 302, answer.text[:500]
    assert client.cookies.get("sessionid"), "no session cookie over TLS"
    return client


def _answered_by(deployment, request_ids: list[str]) -> list[int]:
    """Which server (index) logged each request id."""
    texts = [log.read_text(encoding="utf-8", errors="replace") for _, log in deployment["logs"]]
    found = []
    for request_id in request_ids:
        owners = [n for n, text in enumerate(texts) if f'"request_id": "{request_id}"' in text]
        assert len(owners) == 1, (request_id, owners)
        found.append(owners[0])
    return found


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_servers_behind_nginx_share_sessions_and_uploads(deployment):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from campusgrid.reports.models import Category, Report

    world = world_module.build()
    hasher = PBKDF2PasswordHasher()
    for person in (world.dorm_head, world.counselor):
        person.user.password = hasher.encode(PASSWORD, hasher.salt())
        person.user.save(update_fields=["password"])
    base, cert = deployment["base"], deployment["cert"]

    # plain HTTP is sent to TLS
    moved = httpx.get(deployment["http"] + "/", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"].startswith("https://localhost")

    dorm_head = _sign_in(base, cert, world.dorm_head.user)
    form = dorm_head.get("/reports/new/")
    assert form.status_code == 200
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, "PNG")
    category = Category.objects.filter(active=True).order_by("pk").first()
    filed = dorm_head.post(
        "/reports/new/",
        data={
            "csrfmiddlewaretoken": dorm_head.cookies.get("csrftoken"),
            "category": category.pk,
            "severity": "normal",
            "students": world.student.student_no,
            "description": "两台服务器：插线板老化",
        },
        files={"photos": ("插线板.png", buffer.getvalue(), "image/png")},
    )
    assert filed.status_code == 302, filed.text[:800]
    report = Report.objects.get(description="两台服务器：插线板老化")
    photo = report.photos.get()

    counselor = _sign_in(base, cert, world.counselor.user)
    ids, photo_ids = [], []
    for _ in range(4):
        for path in (f"/reports/{report.pk}/", *[f"/reports/{report.pk}/photos/{photo.pk}/"] * 2):
            answer = counselor.get(path)
            assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
            if "photos" in path:
                assert answer.content[:8] == b"\x89PNG\r\n\x1a\n"
                photo_ids.append(answer.headers["x-request-id"])
            ids.append(answer.headers["x-request-id"])
            assert re.fullmatch(r"[0-9a-f]{32}", ids[-1]), ids[-1]  # nginx's $request_id, passed through
    time.sleep(0.5)  # the servers' log lines are written after the response
    assert set(_answered_by(deployment, ids)) == {0, 1}  # both served the signed-in counselor
    assert set(_answered_by(deployment, photo_ids)) == {0, 1}  # and both served the photo

    # the photo is in the bucket, and in neither server's data folder
    keys = [o["Key"] for o in deployment["bucket"].list_objects_v2(Bucket="campusgrid").get("Contents", [])]
    assert f"campusgrid/{photo.file.name}" in keys
    for data, _ in deployment["logs"]:
        assert not list(data.rglob(Path(photo.file.name).name))

    # the log lines carry no personal data
    for _, log in deployment["logs"]:
        text = log.read_text(encoding="utf-8", errors="replace")
        for secret in (world.student.name, world.student.student_no, world.counselor.name, PASSWORD):
            assert secret not in text


def test_the_readme_systemd_unit_verifies(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        pytest.skip("needs systemd-analyze")
    unit = _block("ini", "/etc/systemd/system/campusgrid.service")
    assert "ExecStart=/srv/campusgrid/app/.venv/bin/campusgrid serve --quiet" in unit
    env = tmp_path / "campusgrid.env"
    env.write_text("DJANGO_SETTINGS_MODULE=campusgrid.settings.production\n", encoding="utf-8")
    campusgrid = Path(sys.executable).with_name("campusgrid")
    unit = (
        unit.replace("/srv/campusgrid/app/.venv/bin/campusgrid", str(campusgrid))
        .replace("/srv/campusgrid/app", str(Path(SRC).parent))
        .replace("/etc/campusgrid/campusgrid.env", str(env))
        .replace("/var/lib/campusgrid", str(tmp_path))
        .replace("User=campusgrid", "User=root")
        .replace("Group=campusgrid", "Group=root")
    )
    path = tmp_path / "campusgrid.service"
    path.write_text(unit, encoding="utf-8")
    done = subprocess.run([analyze, "verify", str(path)], capture_output=True, text=True)
    problems = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        if "campusgrid.service" in line and "Failed to" not in line.split("campusgrid.service", 1)[0]
    ]
    assert done.returncode == 0 and not problems, done.stdout + done.stderr

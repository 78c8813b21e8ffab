"""What production runs on: PostgreSQL connections kept across requests (persistent, or
Django's psycopg pool), templates compiled once, `check --deploy` clean with the settings
the README's deployment section documents."""

import json
import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings

import campusgrid

# Children import this tree's code, not whatever copy the environment has installed.
SRC = os.path.dirname(os.path.dirname(campusgrid.__file__))


def _readme_env() -> dict:
    """The README's /etc/campusgrid/campusgrid.env, read from the README itself, less the
    secrets it tells you to generate (and the data folder, a temporary one here)."""
    readme = Path(SRC).parent.joinpath("README.md").read_text(encoding="utf-8")
    block = readme.split("```ini\nDJANGO_SETTINGS_MODULE=", 1)[1].split("```", 1)[0]
    env = {}
    for line in ("DJANGO_SETTINGS_MODULE=" + block).splitlines():
        name, _, value = line.partition("=")
        if name and value != "…" and name != "CAMPUSGRID_DATA_DIR":
            env[name] = value
    return env


README_ENV = _readme_env()


def _settings_in_child(env: dict, code: str) -> dict:
    """Import the settings in a fresh interpreter with `env` and print a JSON value."""
    child_env = {k: v for k, v in os.environ.items() if not k.startswith(("CAMPUSGRID_", "DATABASE_URL"))}
    child_env.pop("DEBUG", None)
    child_env.update(env, PYTHONPATH=SRC)
    script = textwrap.dedent(
        f"""
        import json, django
        django.setup()
        from django.conf import settings
        print(json.dumps({code}, default=str))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], env=child_env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_postgresql_connections_are_persistent_by_default(tmp_path):
    db = _settings_in_child(
        {
            "DJANGO_SETTINGS_MODULE": "campusgrid.settings.base",
            "DATABASE_URL": "postgres://cg@127.0.0.1:5432/cg",
            "CAMPUSGRID_DATA_DIR": str(tmp_path),
        },
        'settings.DATABASES["default"]',
    )
    assert db["CONN_MAX_AGE"] == 60 and "pool" not in db.get("OPTIONS", {})


def test_the_pool_replaces_persistent_connections(tmp_path):
    db = _settings_in_child(
        {
            "DJANGO_SETTINGS_MODULE": "campusgrid.settings.base",
            "DATABASE_URL": "postgres://cg@127.0.0.1:5432/cg",
            "CAMPUSGRID_DB_POOL": "2:8",
            "CAMPUSGRID_DATA_DIR": str(tmp_path),
        },
        'settings.DATABASES["default"]',
    )
    assert db["CONN_MAX_AGE"] == 0
    assert db["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 8, "timeout": 10.0}


def test_sqlite_is_untouched_by_the_postgresql_options(tmp_path):
    db = _settings_in_child(
        {
            "DJANGO_SETTINGS_MODULE": "campusgrid.settings.base",
            "CAMPUSGRID_DB_POOL": "2:8",
            "CAMPUSGRID_DATA_DIR": str(tmp_path),
        },
        'settings.DATABASES["default"]',
    )
    assert db["ENGINE"].endswith("sqlite3") and db["CONN_MAX_AGE"] == 0 and "pool" not in db["OPTIONS"]


@pytest.mark.engine_free
def test_production_compiles_each_template_once(tmp_path):
    loaders = _settings_in_child(
        dict(README_ENV, SECRET_KEY=secrets.token_urlsafe(60), CAMPUSGRID_DATA_DIR=str(tmp_path)),
        "[type(inner).__module__ + '.' + type(inner).__name__"
        " for outer in __import__('django.template', fromlist=['engines']).engines['django'].engine.template_loaders"
        " for inner in getattr(outer, 'loaders', [outer])]",
    )
    # django-template-partials wraps the loaders; inside it, Django's cached loader.
    assert loaders == ["django.template.loaders.cached.Loader"]


def test_the_documented_settings_are_the_ones_checked():
    assert README_ENV["DJANGO_SETTINGS_MODULE"] == "campusgrid.settings.production"
    assert README_ENV["DATABASE_URL"].startswith("postgres://")
    assert README_ENV["CAMPUSGRID_WORKERS"] and README_ENV["CAMPUSGRID_THREADS"]
    assert {"ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "CAMPUSGRID_SITE_URL"} <= set(README_ENV)


@pytest.mark.engine_free  # a subprocess with the README's settings, not the suite's database
@pytest.mark.parametrize("pool", ["", "2:8"])
def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path, pool):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CAMPUSGRID_", "DATABASE_URL"))}
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(
        README_ENV, SECRET_KEY=secrets.token_urlsafe(60), CAMPUSGRID_DATA_DIR=str(tmp_path), PYTHONPATH=SRC
    )
    env["CAMPUSGRID_FIELD_KEYS"] = _fernet_key()
    if pool:
        env["CAMPUSGRID_DB_POOL"] = pool  # the README's alternative to persistent connections
    done = subprocess.run(
        [sys.executable, "-m", "campusgrid", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_pool_serves_a_process_threads_on_postgresql():
    """Eight threads, a pool of at most two connections: every query answered, on at most
    two server processes, and the connections are handed back after each request."""
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    script = textwrap.dedent(
        """
        import json, threading, django
        django.setup()
        from django.db import close_old_connections, connection, connections
        from django.core.signals import request_finished, request_started

        pids, errors = [], []

        def request():
            try:
                request_started.send(sender=None)
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid(), pg_sleep(0.05)")
                    pids.append(cursor.fetchone()[0])
                request_finished.send(sender=None)  # as after every request: back to the pool
            except Exception as exc:
                errors.append(repr(exc))

        threads = [threading.Thread(target=request) for _ in range(8)]
        for t in threads: t.start()
        for t in threads: t.join()
        pool = connection.pool
        print(json.dumps({"pids": sorted(set(pids)), "n": len(pids), "errors": errors,
                          "pool": type(pool).__module__, "max": pool.max_size}))
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAMPUSGRID_")}
    env.update(
        DJANGO_SETTINGS_MODULE="campusgrid.settings.base",
        DATABASE_URL=url,
        CAMPUSGRID_DB_POOL="1:2",
        PYTHONPATH=os.pathsep.join(filter(None, [SRC, os.environ.get("PYTHONPATH")])),
    )
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["errors"] == [] and result["n"] == 8
    assert result["pool"].startswith("psycopg_pool") and result["max"] == 2
    assert 1 <= len(result["pids"]) <= 2


@pytest.mark.postgres
@pytest.mark.django_db
def test_persistent_connections_are_reused_across_requests_on_postgresql():
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    script = textwrap.dedent(
        """
        import json, django
        django.setup()
        from django.db import connection
        from django.core.signals import request_finished, request_started

        pids = []
        for _ in range(3):
            request_started.send(sender=None)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pids.append(cursor.fetchone()[0])
            request_finished.send(sender=None)
        print(json.dumps({"pids": pids}))
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAMPUSGRID_")}
    env.update(DJANGO_SETTINGS_MODULE="campusgrid.settings.base", DATABASE_URL=url, PYTHONPATH=SRC)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert len(set(json.loads(done.stdout.strip().splitlines()[-1])["pids"])) == 1

"""Backup and restore: one archive holds the database, the uploads and a manifest.

The archive (`.tar.gz`) contains
  manifest.json   format, engine, time, schema version (last migration of each app),
                  row count of every table, SHA-256 of the database file, uploads
                  count, and a canary encrypted with the field keys;
  database.pgdump (PostgreSQL, `pg_dump` custom format) or database.sqlite3
                  (SQLite's online backup API: safe while the app is serving);
  uploads/…       report photos, finding photos, party materials.

The field-encryption keys are NEVER in the archive: they are backed up separately
(README). `restore` refuses an archive whose canary the configured keys cannot
decrypt, before it writes anything, and checks a sample of real encrypted values
and every table's row count after.

Consistency while writers are active: on PostgreSQL the row counts are taken in a
REPEATABLE READ transaction whose snapshot `pg_dump --snapshot` then dumps, so the
manifest describes exactly the dumped data; on SQLite they are counted on the copy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from . import clock, crypto
from .errors import ServiceError

FORMAT = 1
CANARY = "campusgrid-backup-canary"


class BackupError(ServiceError):
    pass


def _tables() -> list[str]:
    return sorted(connection.introspection.table_names())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _schema_version() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.values_list("app", "name").order_by("app", "name"):
        latest[app] = name
    return latest


def _pg_args() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = []
    if db.get("HOST"):
        args += ["-h", db["HOST"]]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _count(cursor, table: str) -> int:
    cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
    return cursor.fetchone()[0]


def _dump_postgres(target: Path) -> dict[str, int]:
    args, env = _pg_args()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = {table: _count(cursor, table) for table in _tables()}
        # the snapshot lives as long as this transaction: dump while it is open
        result = subprocess.run(
            ["pg_dump", *args, "-Fc", "--no-owner", "--snapshot", snapshot, "-f", str(target)]
            + [settings.DATABASES["default"]["NAME"]],
            env=env,
            capture_output=True,
            text=True,
        )
    if result.returncode != 0:
        raise BackupError(f"pg_dump 失败：{result.stderr.strip()[:500]}")
    return counts


def _dump_sqlite(target: Path) -> dict[str, int]:
    name = str(settings.DATABASES["default"]["NAME"])
    if connection.is_in_memory_db():
        connection.ensure_connection()
        source, own = connection.connection, False
    else:
        # its own connection: the backup never waits on the caller's transaction
        source, own = sqlite3.connect(name, timeout=30), True
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        names = [row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        counts = {
            name: copy.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
            for name in sorted(names)
            if not name.startswith("sqlite_")
        }
    finally:
        copy.close()
        if own:
            source.close()
    return counts


def backup(out: Path | None = None) -> tuple[Path, dict]:
    """Write the archive (to `out`, or a dated file in the backup folder); returns its path and manifest."""
    engine = connection.vendor
    if engine not in ("postgresql", "sqlite"):
        raise BackupError(f"不支持的数据库：{engine}")
    stamp = clock.local(timezone.now()).strftime("%Y%m%d-%H%M%S")
    if out is None:
        folder = Path(settings.CAMPUSGRID_BACKUP_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        out = folder / f"campusgrid-{stamp}.tar.gz"
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="campusgrid-backup-") as work:
        work = Path(work)
        db_name = "database.pgdump" if engine == "postgresql" else "database.sqlite3"
        db_file = work / db_name
        counts = _dump_postgres(db_file) if engine == "postgresql" else _dump_sqlite(db_file)
        media = Path(settings.MEDIA_ROOT)
        # with CAMPUSGRID_STORAGE=s3 the uploads live in the bucket, which has its own
        # versioning and replication: the archive then holds the database only
        in_bucket = settings.CAMPUSGRID_STORAGE == "s3"
        uploads = [p for p in media.rglob("*") if p.is_file()] if media.exists() and not in_bucket else []
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "created_at": timezone.now().isoformat(),
            "schema": _schema_version(),
            "tables": counts,
            "database": {"file": db_name, "sha256": _sha256(db_file), "bytes": db_file.stat().st_size},
            "uploads": {
                "storage": settings.CAMPUSGRID_STORAGE,
                "files": len(uploads),
                "bytes": sum(p.stat().st_size for p in uploads),
            },
            "canary": crypto.encrypt(CANARY),
        }
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(db_file, arcname=db_name)
            for path in uploads:
                archive.add(path, arcname=f"uploads/{path.relative_to(media).as_posix()}")
        partial.replace(out)  # a crash never leaves a half archive under the final name
    return out, manifest


def read_manifest(archive_path: Path) -> dict:
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            member = archive.extractfile("manifest.json")
            if member is None:
                raise KeyError
            return json.loads(member.read())
    except (KeyError, tarfile.TarError, OSError, json.JSONDecodeError) as exc:
        raise BackupError(f"不是 CampusGrid 备份文件，或文件已损坏：{exc}") from exc


def _check_keys(manifest: dict) -> None:
    try:
        ok = crypto.decrypt(manifest.get("canary", "")) == CANARY
    except RuntimeError:
        ok = False
    if not ok:
        raise BackupError(
            "当前的 CAMPUSGRID_FIELD_KEYS 无法解密此备份中的敏感字段：请先配置备份时使用的密钥（或包含它的密钥列表），再恢复。"
        )


def _database_is_empty() -> bool:
    # not even migrated: a migrated database already holds content types and permissions
    return not _tables()


def _sample_decrypt(limit: int = 20) -> int:
    """Decrypt a few values of every encrypted column; raises when a key is missing."""
    checked = 0
    for model in apps.get_models():
        fields = [f for f in model._meta.get_fields() if isinstance(f, crypto.EncryptedTextField)]
        for field in fields:
            values = (
                model._base_manager.exclude(**{field.attname: ""})
                .exclude(**{f"{field.attname}__isnull": True})
                .values_list(field.attname, flat=True)[:limit]
            )
            checked += len(list(values))  # from_db_value decrypts: a wrong key raises here
    return checked


def restore(archive_path: Path) -> dict:
    """Restore into an EMPTY database of the configured engine; returns a report."""
    archive_path = Path(archive_path)
    manifest = read_manifest(archive_path)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式 {manifest.get('format')} 不受支持（需要 {FORMAT}）。")
    engine = connection.vendor
    if manifest["engine"] != engine:
        raise BackupError(f"备份来自 {manifest['engine']}，当前数据库是 {engine}：请在同类数据库上恢复。")
    _check_keys(manifest)
    if not _database_is_empty():
        raise BackupError("目标数据库不是空的：恢复只能写入新建的、尚未迁移（migrate）的空数据库。")
    media = Path(settings.MEDIA_ROOT)
    if media.exists() and any(p.is_file() for p in media.rglob("*")):
        raise BackupError(f"上传文件目录 {media} 不是空的：恢复只能写入空目录。")
    with tempfile.TemporaryDirectory(prefix="campusgrid-restore-") as work:
        work = Path(work)
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(work, filter="data")  # refuses absolute paths, links out, devices
        db_file = work / manifest["database"]["file"]
        if _sha256(db_file) != manifest["database"]["sha256"]:
            raise BackupError("数据库文件的校验和与清单不符：备份文件已损坏。")
        if engine == "postgresql":
            _restore_postgres(db_file)
        else:
            _restore_sqlite(db_file)
        if (work / "uploads").exists():
            media.mkdir(parents=True, exist_ok=True)
            shutil.copytree(work / "uploads", media, dirs_exist_ok=True)
    with connection.cursor() as cursor:
        counts = {table: _count(cursor, table) for table in manifest["tables"]}
    mismatched = {t: (manifest["tables"][t], n) for t, n in counts.items() if n != manifest["tables"][t]}
    if mismatched:
        raise BackupError(f"恢复后行数与清单不符：{mismatched}")
    return {"tables": len(counts), "rows": sum(counts.values()), "decrypted_sample": _sample_decrypt()}


def _restore_postgres(db_file: Path) -> None:
    args, env = _pg_args()
    connection.close()
    result = subprocess.run(
        ["pg_restore", *args, "--no-owner", "--no-privileges", "-d"]
        + [settings.DATABASES["default"]["NAME"], str(db_file)],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore 失败：{result.stderr.strip()[:500]}")


def _restore_sqlite(db_file: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(db_file)
    try:
        # the backup API writes into the live file under its own lock (WAL-safe)
        source.backup(connection.connection)
    finally:
        source.close()


def scheduled_backup(now: dt.datetime) -> int:
    """The tick job: one backup a day after CAMPUSGRID_BACKUP_TIME, keeping the newest N."""
    at = settings.CAMPUSGRID_BACKUP_TIME
    if not at:
        return 0
    local = clock.local(now)
    hour, minute = (int(part) for part in at.split(":"))
    if (local.hour, local.minute) < (hour, minute):
        return 0
    folder = Path(settings.CAMPUSGRID_BACKUP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    if list(folder.glob(f"campusgrid-{local:%Y%m%d}-*.tar.gz")):
        return 0
    backup(folder / f"campusgrid-{local:%Y%m%d-%H%M%S}.tar.gz")
    kept = sorted(folder.glob("campusgrid-*.tar.gz"), reverse=True)
    for old in kept[settings.CAMPUSGRID_BACKUP_KEEP :]:
        old.unlink()
    return 1

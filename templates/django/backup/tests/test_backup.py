"""Backup and restore round trip with the scripts in ops/backup, on SQLite.

These tests always use a SQLite file of their own, whatever TEST_DATABASE_URL
says: restore.sh replaces the database it is pointed at. Django reaches that file
through an extra connection alias, set up the way DATABASE_URL would set it up.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder

from accounts.models import User
from config.database import parse_database_url
from notes.models import Note
from tests.helpers import PASSWORD

SCRIPTS = Path(settings.BASE_DIR) / "ops" / "backup"
ALIAS = "backup_roundtrip"
UNICODE_TITLE = "Grüße aus Köln: 東京タワー 🗼"
UNICODE_BODY = "naïve café, שלום, 🎉\nsecond line"
# Sits inside a note's text in the backup file. A flipped byte there keeps the file a valid
# SQLite database with the same row counts: only the checksum can notice.
CANARY = "checksum canary"

Rows = dict[str, list[tuple[Any, ...]]]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="module")
def bash() -> str:
    """The backup scripts' requirements: skipped when missing, except on CI where that fails."""
    missing = [command for command in ("bash", "sqlite3", "sha256sum") if not shutil.which(command)]
    if missing:
        message = (
            f"{', '.join(missing)} not found: install the sqlite3 command-line tool to run the "
            "backup tests (Debian/Ubuntu: apt-get install sqlite3; see ops/backup/README.md)"
        )
        if _in_ci():
            pytest.fail(f"{message}; CI is set, so this is a failure, not a skip")
        pytest.skip(message)
    return shutil.which("bash") or "bash"


@dataclass(frozen=True)
class Backup:
    database: Path
    env: dict[str, str]
    file: Path
    rows: Rows
    note_ids: dict[str, int]


def script_env(database: Path, backup_dir: Path) -> dict[str, str]:
    """The process environment with the scripts' own variables replaced by the test's."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "APP_ENV") and not key.startswith(("BACKUP_", "PG"))
    }
    # Set, even when empty, so that nothing is taken from the project's .env.
    return env | {
        "DATABASE_URL": f"sqlite:///{database}",
        "BACKUP_DIR": str(backup_dir),
        "APP_ENV": "test",
        "BACKUP_AGE_RECIPIENT": "",
        "BACKUP_AGE_IDENTITY": "",
    }


def run_script(
    bash: str, name: str, *args: str, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [bash, str(SCRIPTS / name), *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def close_connection() -> None:
    # Nothing may hold the file open while restore.sh swaps it; Django reconnects on next use.
    connections[ALIAS].close()


def table_rows(database: Path) -> Rows:
    """Every row of every table, read with Python's sqlite3 module (sqlite_sequence included)."""
    with closing(sqlite3.connect(database)) as connection:
        tables = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall()
        rows: Rows = {}
        for (table,) in tables:
            # The table names come from sqlite_master itself.
            select = f'SELECT * FROM "{table}"'  # noqa: S608
            width = len(connection.execute(f"{select} LIMIT 0").description)
            order = ", ".join(str(position) for position in range(1, width + 1))
            rows[table] = connection.execute(f"{select} ORDER BY {order}").fetchall()
        return rows


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def database(bash: str, tmp_path: Path, django_db_blocker: Any) -> Iterator[Path]:
    """A SQLite file migrated with the project's migrations, reachable as connection ALIAS."""
    path = tmp_path / "live.db"
    config = parse_database_url(f"sqlite:///{path}", settings.BASE_DIR)
    # Django reads DATABASES once at start-up; register one more alias with the same defaults.
    defaults = connections.configure_settings({DEFAULT_DB_ALIAS: {}, ALIAS: config})
    connections.settings[ALIAS] = defaults[ALIAS]
    try:
        with django_db_blocker.unblock():
            call_command("migrate", database=ALIAS, interactive=False, verbosity=0)
            yield path
    finally:
        close_connection()
        del connections[ALIAS]
        del connections.settings[ALIAS]
        ContentType.objects.clear_cache()


@pytest.fixture
def backup(bash: str, database: Path) -> Backup:
    """Users and notes written through the models, and a backup of them made by backup.sh."""
    zoe = User.objects.db_manager(ALIAS).create_user("zoe@example.com", PASSWORD)
    bob = User.objects.db_manager(ALIAS).create_user("bob@example.com", PASSWORD)
    notes = Note.objects.using(ALIAS)
    note_ids = {
        "unicode": notes.create(owner=zoe, title=UNICODE_TITLE, body=UNICODE_BODY).pk,
        "no body": notes.create(owner=zoe, title="No body").pk,
        "canary": notes.create(owner=zoe, title="Canary", body=CANARY).pk,
        "bob": notes.create(owner=bob, title="Bob's", body="Ünïcödé").pk,
        # The newest note: its id must not be handed out again after a restore.
        "deleted": notes.create(owner=bob, title="Deleted before the backup", body="gone").pk,
    }
    notes.filter(pk=note_ids["deleted"]).delete()
    close_connection()

    env = script_env(database, database.parent / "backups")
    result = run_script(bash, "backup.sh", env=env)
    assert result.returncode == 0, result.stderr
    file = Path(result.stdout.strip().splitlines()[-1])
    assert file.is_file()
    assert file.parent == database.parent / "backups"
    return Backup(database, env, file, table_rows(database), note_ids)


def test_backup_writes_a_checksum_and_a_manifest(backup: Backup) -> None:
    digest = file_digest(backup.file)
    checksum = Path(f"{backup.file}.sha256").read_text(encoding="utf-8")
    assert checksum == f"{digest}  {backup.file.name}\n"

    manifest = json.loads(Path(f"{backup.file}.json").read_text(encoding="utf-8"))
    assert manifest["engine"] == "sqlite"
    assert manifest["sha256"] == digest
    assert manifest["size"] == backup.file.stat().st_size
    expected_counts = {
        name: len(rows) for name, rows in backup.rows.items() if not name.startswith("sqlite_")
    }
    assert manifest["row_counts"] == expected_counts
    assert manifest["row_counts"]["notes"] == 4
    latest = MigrationRecorder.Migration.objects.using(ALIAS).latest("id")
    assert manifest["migrations"] == {
        "table": "django_migrations",
        "head": f"{latest.app}.{latest.name}",
    }


def test_restore_brings_back_exactly_the_backed_up_data(bash: str, backup: Backup) -> None:
    Note.objects.using(ALIAS).all().delete()
    User.objects.using(ALIAS).all().delete()
    close_connection()
    assert table_rows(backup.database)["notes"] == []

    result = run_script(bash, "restore.sh", str(backup.file), "--yes", env=backup.env)
    assert result.returncode == 0, result.stderr

    assert table_rows(backup.database) == backup.rows
    notes = Note.objects.using(ALIAS)
    unicode_note = notes.get(pk=backup.note_ids["unicode"])
    assert (unicode_note.title, unicode_note.body) == (UNICODE_TITLE, UNICODE_BODY)
    assert notes.get(pk=backup.note_ids["no body"]).body is None
    assert not notes.filter(pk=backup.note_ids["deleted"]).exists()

    zoe = User.objects.using(ALIAS).get(email="zoe@example.com")
    assert zoe.check_password(PASSWORD)  # the password hash came back too
    new_note = notes.create(owner=zoe, title="Written after the restore")
    assert new_note.pk > max(backup.note_ids.values())


def test_restore_refuses_a_corrupted_backup_and_keeps_the_live_database(
    bash: str, backup: Backup
) -> None:
    bob = User.objects.using(ALIAS).get(email="bob@example.com")
    Note.objects.using(ALIAS).create(owner=bob, title="Only in the live database")
    close_connection()
    live_rows = table_rows(backup.database)
    live_digest = file_digest(backup.database)

    data = bytearray(backup.file.read_bytes())
    at = data.find(CANARY.encode())
    assert at >= 0, "the canary note is not stored as plain text in the backup"
    data[at] ^= 0x01  # "c" becomes "b": still valid text, but no longer the backed-up bytes
    backup.file.write_bytes(bytes(data))

    result = run_script(bash, "restore.sh", str(backup.file), "--yes", env=backup.env)
    assert result.returncode != 0
    assert "checksum mismatch" in result.stderr
    assert file_digest(backup.database) == live_digest
    assert table_rows(backup.database) == live_rows
    assert not list(backup.database.parent.glob("live.db.*restore-*"))

"""Backup and restore round trip with the scripts in ops/backup, on SQLite.

These tests always use a SQLite file of their own, whatever TEST_DATABASE_URL
says: restore.sh replaces the database it is pointed at.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from flask.testing import FlaskClient
from sqlalchemy import MetaData, Row, delete, select

from app import create_app
from app.config import PROJECT_ROOT, Settings
from app.database import create_db_engine
from app.models import User
from app.resources.notes.models import Note

from .support import alembic_config, run_migrations

SCRIPTS = PROJECT_ROOT / "ops" / "backup"
PASSWORD = "correct horse battery staple"
UNICODE_TITLE = "Grüße aus Köln: 東京タワー 🗼"
UNICODE_BODY = "naïve café, שלום, 🎉\nsecond line"
# Sits inside a note's text in the backup file. A flipped byte there keeps the file a valid
# SQLite database with the same row counts: only the checksum can notice.
CANARY = "checksum canary"


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
    url: str
    settings: Settings
    env: dict[str, str]
    file: Path
    rows: dict[str, Sequence[Row[Any]]]
    note_ids: dict[str, int]


def script_env(database_url: str, backup_dir: Path) -> dict[str, str]:
    """The process environment with the scripts' own variables replaced by the test's."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "APP_ENV") and not key.startswith(("BACKUP_", "PG"))
    }
    # Set, even when empty, so that nothing is taken from the project's .env.
    return env | {
        "DATABASE_URL": database_url,
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
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@contextmanager
def api_client(settings: Settings) -> Iterator[FlaskClient]:
    app = create_app(settings)
    try:
        yield app.test_client()
    finally:
        # Nothing may hold the file open while restore.sh swaps it.
        app.extensions["database"].engine.dispose()


def login(client: FlaskClient, email: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def register(client: FlaskClient, email: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.json
    return login(client, email)


def add_note(client: FlaskClient, headers: dict[str, str], **body: object) -> int:
    response = client.post("/api/v1/notes", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return response.json["id"]


def table_rows(url: str) -> dict[str, Sequence[Row[Any]]]:
    """Every row of every table (Alembic's included), ordered by primary key."""
    engine = create_db_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            return {
                name: connection.execute(
                    select(table).order_by(*(table.primary_key.columns or table.columns))
                ).all()
                for name, table in metadata.tables.items()
            }
    finally:
        engine.dispose()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def backup(bash: str, tmp_path: Path) -> Backup:
    """A migrated database filled through the API, and a backup of it made by backup.sh."""
    database = tmp_path / "live.db"
    url = f"sqlite:///{database}"
    engine = create_db_engine(url)
    try:
        run_migrations(engine)
    finally:
        engine.dispose()

    settings = Settings(app_env="test", database_url=url, jwt_secret=secrets.token_urlsafe(48))
    with api_client(settings) as client:
        zoe = register(client, "zoe@example.com")
        bob = register(client, "bob@example.com")
        note_ids = {
            "unicode": add_note(client, zoe, title=UNICODE_TITLE, body=UNICODE_BODY),
            "no body": add_note(client, zoe, title="No body"),
            "deleted": add_note(client, zoe, title="Deleted before the backup", body="gone"),
            "canary": add_note(client, zoe, title="Canary", body=CANARY),
            "bob": add_note(client, bob, title="Bob's", body="Ünïcödé"),
        }
        deleted = client.delete(f"/api/v1/notes/{note_ids['deleted']}", headers=zoe)
        assert deleted.status_code == 204

    env = script_env(url, tmp_path / "backups")
    result = run_script(bash, "backup.sh", env=env)
    assert result.returncode == 0, result.stderr
    file = Path(result.stdout.strip().splitlines()[-1])
    assert file.is_file()
    assert file.parent == tmp_path / "backups"
    return Backup(database, url, settings, env, file, table_rows(url), note_ids)


def test_backup_writes_a_checksum_and_a_manifest(backup: Backup) -> None:
    digest = file_digest(backup.file)
    checksum = Path(f"{backup.file}.sha256").read_text(encoding="utf-8")
    assert checksum == f"{digest}  {backup.file.name}\n"

    manifest = json.loads(Path(f"{backup.file}.json").read_text(encoding="utf-8"))
    assert manifest["engine"] == "sqlite"
    assert manifest["sha256"] == digest
    assert manifest["size"] == backup.file.stat().st_size
    assert manifest["row_counts"] == {name: len(rows) for name, rows in backup.rows.items()}
    assert manifest["row_counts"]["notes"] == 4
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert manifest["migrations"] == {"table": "alembic_version", "head": head}


def test_restore_brings_back_exactly_the_backed_up_data(bash: str, backup: Backup) -> None:
    engine = create_db_engine(backup.url)
    try:
        with engine.begin() as connection:
            connection.execute(delete(Note))
            connection.execute(delete(User))
    finally:
        engine.dispose()
    assert table_rows(backup.url)["notes"] == []

    result = run_script(bash, "restore.sh", str(backup.file), "--yes", env=backup.env)
    assert result.returncode == 0, result.stderr

    assert table_rows(backup.url) == backup.rows
    notes = {row.id: row for row in table_rows(backup.url)["notes"]}
    assert notes[backup.note_ids["unicode"]].title == UNICODE_TITLE
    assert notes[backup.note_ids["unicode"]].body == UNICODE_BODY
    assert notes[backup.note_ids["no body"]].body is None
    assert backup.note_ids["deleted"] not in notes

    with api_client(backup.settings) as client:
        headers = login(client, "zoe@example.com")  # the password hash came back too
        note = client.get(f"/api/v1/notes/{backup.note_ids['unicode']}", headers=headers)
        assert note.status_code == 200
        assert (note.json["title"], note.json["body"]) == (UNICODE_TITLE, UNICODE_BODY)
        new_id = add_note(client, headers, title="Written after the restore")
    assert new_id > max(backup.note_ids.values())


def test_restore_refuses_a_corrupted_backup_and_keeps_the_live_database(
    bash: str, backup: Backup
) -> None:
    with api_client(backup.settings) as client:
        add_note(client, login(client, "bob@example.com"), title="Only in the live database")
    live_rows = table_rows(backup.url)
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
    assert table_rows(backup.url) == live_rows
    assert sorted(path.name for path in backup.database.parent.iterdir()) == ["backups", "live.db"]

"""A backup, restored into an empty database, serves the same catalogue (docs/operations.md).

The dump is taken with the database's own tool, as the operations guide says: SQLite's online
backup API (what `sqlite3 db.sqlite3 ".backup …"` calls) or `pg_dump`/`pg_restore` when the
tests run on PostgreSQL. A separate process, pointed at the restored database only, then renders
the product listing, which must equal what the original database renders.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import make_product
from tests.fresh_process import run_python

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LISTING = "/vi/san-pham/"
RENDER = """
import json, django
django.setup()
from django.test import Client
response = Client().get({url!r})
print(json.dumps({{"status": response.status_code, "html": response.content.decode()}}))
"""


def main_content(html: str) -> str:
    return re.search(r"<main\b.*?</main>", html, re.S).group(0)


def render_elsewhere(database_url: str) -> dict:
    """The listing as rendered by a fresh process that knows only the restored database."""
    return run_python(
        RENDER.format(url=LISTING),
        env={"DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        timeout=120,
    )


def backup_and_restore_sqlite(tmp_path: Path) -> str:
    dump = tmp_path / "backup.sqlite3"
    with sqlite3.connect(dump) as target:
        connection.connection.backup(target)  # the live database, as `.backup` does
    restored = tmp_path / "restored.sqlite3"
    assert not restored.exists()
    with sqlite3.connect(dump) as source, sqlite3.connect(restored) as target:
        source.backup(target)  # `.restore` into an empty file
    return f"sqlite:///{restored}"


def postgres_url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{name}"


def backup_and_restore_postgres(tmp_path: Path, created: list[str]) -> str:
    dump = tmp_path / "backup.dump"
    source = postgres_url(connection.settings_dict["NAME"])
    subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", dump, "-d", source], check=True)
    name = f"ocop_restore_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    created.append(name)
    target = postgres_url(name)
    subprocess.run(["pg_restore", "--no-owner", "-d", target, dump], check=True)
    return target


@pytest.fixture
def created_databases():
    names: list[str] = []
    yield names
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_a_restored_backup_serves_the_same_catalogue(
    site, producer, other_producer, client, tmp_path, created_databases
):
    titles = ["Mật ong bạc hà Mèo Vạc", "Vải thiều Lục Ngạn", "Cà phê Robusta Buôn Ma Thuột"]
    make_product(producer, title=titles[0])
    make_product(producer, title=titles[1])
    make_product(other_producer, title=titles[2])
    original = client.get(LISTING)
    assert original.status_code == 200
    listing = main_content(original.content.decode())
    assert all(title in listing for title in titles)

    if connection.vendor == "sqlite":
        restored_url = backup_and_restore_sqlite(tmp_path)
    else:
        restored_url = backup_and_restore_postgres(tmp_path, created_databases)
    served = render_elsewhere(restored_url)

    assert served["status"] == 200
    assert main_content(served["html"]) == listing

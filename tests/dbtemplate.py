"""A migrated template database, built once and cloned for every test process.

Migrating from scratch costs 40–100 s here (Django renders the migration state of ~240
migrations, Wagtail's included); every xdist worker used to pay it in every run. The template
is built by `manage.py migrate` in a child process, under a file lock (the first worker builds,
the others wait), and kept between runs under a name that carries a hash of everything the
migrations read: migration files, the data and code they load, settings and pinned packages.
Change any of them and the next run builds a new template; `--create-db` forces one.

- SQLite: `var/test-db/template-<hash>.sqlite3`, copied into each worker's in-memory database
  with SQLite's backup API (the tests keep running in memory, as before).
- PostgreSQL: the database `test_<name>_tpl_<hash>`, cloned with `CREATE DATABASE … TEMPLATE`
  into `test_<name>_<worker>`, dropped when the session ends.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

# The hash of everything the migrations read (migration files, reference data, settings, pinned
# packages): defined beside the demo's schema snapshot (cms/schema_snapshot.py), keyed by it too.
from cms.schema_snapshot import fingerprint

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / "var" / "test-db"


@contextmanager
def locked():
    STATE.mkdir(parents=True, exist_ok=True)
    with open(STATE / "lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _migrate(database_url: str) -> None:
    """`manage.py migrate` into `database_url`, in a child process (its own settings)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
        check=True,
        env=env,
        cwd=ROOT,
    )


def setup_worker_database(connection, worker: str, rebuild: bool) -> str:
    """Point `connection` at a fresh copy of the template; returns the database's name."""
    vendor = connection.vendor
    key = fingerprint(vendor)
    if vendor == "sqlite":
        return _sqlite(connection, worker, key, rebuild)
    if vendor == "postgresql":
        return _postgresql(connection, worker, key, rebuild)
    raise RuntimeError(f"No test template for {vendor}")


def _point_at(connection, name: str) -> None:
    from django.conf import settings

    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name


def _sqlite_template(key: str, rebuild: bool) -> Path:
    """The migrated SQLite template, built if missing; call it holding `locked()`."""
    template = STATE / f"template-{key}.sqlite3"
    if rebuild or not template.exists():
        for old in STATE.glob("template-*.sqlite3*"):
            old.unlink()
        building = template.with_suffix(".building")
        building.unlink(missing_ok=True)
        _migrate(f"sqlite:///{building}")
        source = sqlite3.connect(building)
        source.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        source.close()
        building.rename(template)
    return template


@contextmanager
def sqlite_template():
    """The path of a database `manage.py migrate` made on SQLite (the template, built if
    missing), to read while the lock is held (tests/cms/test_schema_snapshot.py)."""
    with locked():
        yield _sqlite_template(fingerprint("sqlite"), rebuild=False)


def _sqlite(connection, worker: str, key: str, rebuild: bool) -> str:
    with locked():
        template = _sqlite_template(key, rebuild)
        # Copied under the lock: another session may replace the template once it is released.
        name = f"file:memorydb_{worker}?mode=memory&cache=shared"
        _point_at(connection, name)
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    return name


def _postgresql(connection, worker: str, key: str, rebuild: bool) -> str:
    from django.db.backends.postgresql.creation import DatabaseCreation

    base = (
        connection.settings_dict["TEST"].get("NAME") or f"test_{connection.settings_dict['NAME']}"
    )
    base = base.removesuffix(f"_{worker}")
    template = f"{base}_tpl_{key}"
    name = f"{base}_{worker}"
    quote = connection.ops.quote_name
    creation: DatabaseCreation = connection.creation
    with locked(), creation._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{base}_tpl_%"])
        existing = {row[0] for row in cursor.fetchall()}
        for old in existing - ({template} if not rebuild else set()):
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(old)} WITH (FORCE)")
        if rebuild or template not in existing:
            cursor.execute(f"CREATE DATABASE {quote(template)}")
            url = _postgres_url(connection.settings_dict, template)
            try:
                _migrate(url)
            except BaseException:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(template)} WITH (FORCE)")
                raise
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")
    _point_at(connection, name)
    return name


def drop_worker_database(connection) -> None:
    if connection.vendor != "postgresql":
        return
    name = connection.settings_dict["NAME"]
    connection.close()
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")


def _postgres_url(settings_dict: dict, name: str) -> str:
    from urllib.parse import quote

    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or ""
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{name}"

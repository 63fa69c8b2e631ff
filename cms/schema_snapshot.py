"""A committed SQL image of the fully migrated SQLite database, for fresh demo databases.

`manage.py migrate` on an empty database costs 40–70 s here, nearly all of it Django rendering
the migration states of ~280 migrations (Python, not SQL; docs/benchmarks.md, "make demo").
`cms/schema_snapshot.sql` is what those migrations leave behind on SQLite: every table, index
and trigger, the `django_migrations` rows, and the rows that data migrations and `post_migrate`
handlers insert (content types, permissions, Wagtail's root page, locale, groups, OCOP groups…).
Loading it takes well under a second; `migrate` then finds nothing to apply.

It is loaded only when all of these hold, otherwise the caller migrates as usual:
- the database is SQLite and empty (no table at all);
- the fingerprint written in the file equals `fingerprint()` now: a hash of every migration
  file and of what migrations read (reference data, settings, pinned packages). The test
  template (tests/dbtemplate.py) is keyed by the same hash.

`manage.py schema_snapshot --write` regenerates the file (it migrates a throwaway SQLite
database in a child process, dumps it, loads the dump back and checks both are identical);
tests/cms/test_schema_snapshot.py fails while the committed file is stale.

No Django import at module level: tests/dbtemplate.py imports `fingerprint` before Django is set
up.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "cms" / "schema_snapshot.sql"
WRITE_COMMAND = ".venv/bin/python manage.py schema_snapshot --write"

# The migrations (apps one or two levels down, e.g. catalog/search) and what they read
# besides their own files (data migrations load reference data). No pattern reaches into
# .venv: the packages are pinned by requirements.lock.
INPUTS = (
    "*/migrations/*.py",
    "*/*/migrations/*.py",
    "requirements.lock",
    "config/settings/*.py",
    "*/data/**/*",
    "catalog/reference_data.py",
)

_HEADER = "-- fingerprint: "


def fingerprint(vendor: str = "sqlite") -> str:
    """A hash of everything a migrated database depends on, for one database vendor."""
    digest = hashlib.sha256(vendor.encode())
    paths = {path for pattern in INPUTS for path in ROOT.glob(pattern)}
    for path in sorted(p for p in paths if p.is_file()):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def snapshot_fingerprint(path: Path = SNAPSHOT) -> str | None:
    """The fingerprint the snapshot file was written for (None: no file)."""
    try:
        with open(path, encoding="utf-8") as handle:
            first = handle.readline()
    except FileNotFoundError:
        return None
    return first[len(_HEADER) :].strip() if first.startswith(_HEADER) else None


# --- Dump -----------------------------------------------------------------------------------


def _literal(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes):
        return f"X'{value.hex()}'"
    return "'" + str(value).replace("'", "''") + "'"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# FTS5's and FTS3/4's own tables (sqlite.org/fts5.html, fts3.html).
_SHADOW_SUFFIXES = ("data", "idx", "content", "docsize", "config", "segments", "segdir", "stat")


def _shadow_tables(db: sqlite3.Connection) -> set[str]:
    """Tables a virtual table (FTS5) creates itself: not created again, only refilled."""
    virtual = [
        name
        for (name, sql) in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        if sql and sql.upper().startswith("CREATE VIRTUAL TABLE")
    ]
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {f"{v}_{suffix}" for v in virtual for suffix in _SHADOW_SUFFIXES} & tables


def _rows(db: sqlite3.Connection, table: str) -> list[tuple]:
    """In insertion order (rowid), or key order for a WITHOUT ROWID table (FTS5's `_idx`)."""
    try:
        return db.execute(f"SELECT * FROM {_quote(table)} ORDER BY rowid").fetchall()
    except sqlite3.OperationalError:
        return db.execute(f"SELECT * FROM {_quote(table)}").fetchall()


def dump(db: sqlite3.Connection, key: str) -> str:
    """The whole database as SQL text: tables, rows, then indexes and triggers."""
    shadows = _shadow_tables(db)
    objects = db.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
    ).fetchall()
    lines = [
        f"{_HEADER}{key}",
        "-- The migrated SQLite database (cms/schema_snapshot.py). Generated: do not edit;",
        f"-- regenerate with `{WRITE_COMMAND}`.",
        "BEGIN;",
    ]
    created = [
        (name, sql)
        for kind, name, sql in objects
        if kind == "table" and name not in shadows and not name.startswith("sqlite_")
    ]
    lines.extend(f"{sql};" for name, sql in created)
    names = {name for kind, name, sql in objects}
    if "sqlite_stat1" in names:  # statistics (ANALYZE): the table can only be made this way
        lines.append("ANALYZE sqlite_schema;")
    # A virtual table's rows live in its shadow tables (or its external content table), which
    # are copied whole, so an FTS index is the same without being rebuilt.
    filled = [name for name, sql in created if not sql.upper().startswith("CREATE VIRTUAL")]
    replaced = sorted(shadows) + [n for n in ("sqlite_sequence", "sqlite_stat1") if n in names]
    for name in filled + replaced:
        if name in replaced:
            lines.append(f"DELETE FROM {_quote(name)};")
        lines.extend(
            f"INSERT INTO {_quote(name)} VALUES({','.join(map(_literal, row))});"
            for row in _rows(db, name)
        )
    lines.extend(f"{sql};" for kind, _name, sql in objects if kind in ("index", "trigger", "view"))
    lines.append("COMMIT;")
    return "\n".join(lines) + "\n"


def contents(db: sqlite3.Connection) -> dict:
    """What two databases must share to be the same: schema objects and every table's rows."""
    schema = sorted(
        db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall(),
        key=repr,
    )
    rows = {}
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        rows[name] = sorted(db.execute(f"SELECT * FROM {_quote(name)}").fetchall(), key=repr)
    return {"schema": schema, "rows": rows}


def write(path: Path = SNAPSHOT, stdout=None) -> str:
    """Migrate a throwaway SQLite database in a child process and write its dump to `path`."""
    key = fingerprint()
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "migrated.sqlite3"
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "CACHE_DIR": tmp}
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
            check=True,
            env=env,
            cwd=ROOT,
        )
        if fingerprint() != key:
            raise RuntimeError("Migrations or their inputs changed while migrating: run it again.")
        source = sqlite3.connect(database)
        try:
            text = dump(source, key)
            check = sqlite3.connect(":memory:")
            check.executescript(text)
            if contents(check) != contents(source):
                raise RuntimeError("The dump does not load back into the same database.")
        finally:
            source.close()
    path.write_text(text, encoding="utf-8")
    return key


# --- Load -----------------------------------------------------------------------------------


def load(connection, path: Path = SNAPSHOT) -> str | None:
    """Fill an empty SQLite database from the snapshot; None when loaded, else the reason why not.

    `connection` is a Django connection; the caller runs `migrate` afterwards either way."""
    if connection.vendor != "sqlite":
        return f"the database is {connection.vendor}, not SQLite"
    written_for = snapshot_fingerprint(path)
    if written_for is None:
        return f"no snapshot at {path.relative_to(ROOT)}"
    if written_for != fingerprint():
        return f"the migrations changed since the snapshot was written (`{WRITE_COMMAND}`)"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master")
        if cursor.fetchone()[0]:
            return "the database is not empty"
    raw = connection.connection
    try:
        raw.executescript(path.read_text(encoding="utf-8"))
    except sqlite3.Error as error:  # all in one transaction: nothing is left behind
        if raw.in_transaction:
            raw.rollback()
        return f"the snapshot did not load ({error})"
    return None

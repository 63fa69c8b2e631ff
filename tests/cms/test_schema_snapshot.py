"""The schema snapshot `make demo` loads instead of migrating (cms/schema_snapshot.py).

Loading it must give exactly what `manage.py migrate` gives on SQLite: the same schema and
the same rows in every table, `django_migrations` included; the committed file must be current,
so a new migration without a regenerated snapshot fails here (and in CI)."""

from __future__ import annotations

import sqlite3

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.db.migrations.loader import MigrationLoader

from cms import schema_snapshot
from tests.dbtemplate import sqlite_template

STALE = (
    f"cms/schema_snapshot.sql is stale: migrations or what they read changed. Run "
    f"`{schema_snapshot.WRITE_COMMAND}` and commit the file (docs/benchmarks.md, 'make demo')."
)

# Values no two `migrate` runs share: when each migration was applied, and the random
# translation keys Wagtail's data migration gives its two initial pages.
RANDOM_COLUMNS = {"django_migrations": {"applied"}, "wagtailcore_page": {"translation_key"}}


def _comparable(db: sqlite3.Connection) -> dict:
    found = schema_snapshot.contents(db)
    for table, columns in RANDOM_COLUMNS.items():
        names = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]
        found["rows"][table] = sorted(
            tuple(
                None if name in columns else value for name, value in zip(names, row, strict=True)
            )
            for row in found["rows"][table]
        )
    return found


@pytest.fixture
def fresh_database(tmp_path, django_db_blocker):
    """A Django connection to an empty SQLite file of its own (the test database is untouched)."""
    settings = {**connection.settings_dict, "NAME": str(tmp_path / "fresh.sqlite3"), "OPTIONS": {}}
    database = DatabaseWrapper(settings, alias="snapshot_test")
    with django_db_blocker.unblock():
        yield database
        database.close()


def test_committed_snapshot_is_current():
    assert schema_snapshot.snapshot_fingerprint() == schema_snapshot.fingerprint(), STALE


def test_snapshot_gives_what_migrate_gives():
    loaded = sqlite3.connect(":memory:")
    loaded.executescript(schema_snapshot.SNAPSHOT.read_text(encoding="utf-8"))
    with sqlite_template() as migrated_path:
        migrated = sqlite3.connect(f"file:{migrated_path}?mode=ro", uri=True)
        try:
            expected = _comparable(migrated)
        finally:
            migrated.close()
    found = _comparable(loaded)
    assert found["schema"] == expected["schema"], STALE
    assert found["rows"].keys() == expected["rows"].keys(), STALE
    differing = [t for t in expected["rows"] if found["rows"][t] != expected["rows"][t]]
    assert differing == [], STALE
    assert len(found["rows"]["django_migrations"]) > 200


def test_loaded_into_an_empty_database_migrate_has_nothing_left(fresh_database):
    assert schema_snapshot.load(fresh_database) is None
    with fresh_database.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = set(cursor.fetchall())
        cursor.execute("SELECT language_code FROM wagtailcore_locale")
        assert cursor.fetchall() == [("vi",)]
    every_migration = set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)
    assert every_migration - applied == set()


def test_a_database_with_tables_is_left_alone(fresh_database):
    with fresh_database.cursor() as cursor:
        cursor.execute("CREATE TABLE mine (x INTEGER)")
    assert schema_snapshot.load(fresh_database) == "the database is not empty"
    with fresh_database.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master")
        assert cursor.fetchall() == [("mine",)]


def _empty(database) -> bool:
    with database.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master")
        return cursor.fetchone()[0] == 0


def test_a_stale_snapshot_is_not_loaded(fresh_database, tmp_path):
    stale = tmp_path / "schema_snapshot.sql"
    text = schema_snapshot.SNAPSHOT.read_text(encoding="utf-8")
    stale.write_text("-- fingerprint: 000000000000\n" + text.split("\n", 1)[1], encoding="utf-8")
    reason = schema_snapshot.load(fresh_database, path=stale)
    assert reason and "migrations changed" in reason
    assert _empty(fresh_database)


def test_a_snapshot_that_fails_half_way_leaves_the_database_empty(fresh_database, tmp_path):
    broken = tmp_path / "schema_snapshot.sql"
    text = schema_snapshot.SNAPSHOT.read_text(encoding="utf-8")
    broken.write_text(text.replace("COMMIT;", "INSERT INTO nowhere VALUES(1);\nCOMMIT;"))
    reason = schema_snapshot.load(fresh_database, path=broken)
    assert reason and "did not load" in reason
    assert _empty(fresh_database)


@pytest.mark.parametrize("vendor", ["postgresql", "mysql"])
def test_other_databases_migrate_as_usual(vendor):
    class Other:
        pass

    other = Other()
    other.vendor = vendor
    assert schema_snapshot.load(other) == f"the database is {vendor}, not SQLite"


def test_the_dump_round_trips_rows_of_every_kind():
    source = sqlite3.connect(":memory:")
    source.executescript(
        """
        CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, s TEXT, b BLOB, f REAL, n INTEGER);
        INSERT INTO t (s, b, f, n) VALUES ('it''s "Bắc Hà"', X'00ff', 0.1, NULL);
        INSERT INTO t (s, b, f, n) VALUES ('', X'', -1e300, 9223372036854775807);
        DELETE FROM t WHERE id = 2;
        CREATE INDEX t_s ON t (s);
        CREATE VIRTUAL TABLE t_fts USING fts5(s, content='t', content_rowid='id');
        INSERT INTO t_fts (rowid, s) SELECT id, s FROM t;
        CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN
            INSERT INTO t_fts (rowid, s) VALUES (new.id, new.s);
        END;
        """
    )
    copy = sqlite3.connect(":memory:")
    copy.executescript(schema_snapshot.dump(source, "k"))
    assert schema_snapshot.contents(copy) == schema_snapshot.contents(source)
    assert copy.execute("SELECT rowid FROM t_fts WHERE t_fts MATCH 'bắc'").fetchall() == [(1,)]
    copy.execute("INSERT INTO t (s) VALUES ('x')")
    assert copy.execute("SELECT max(id) FROM t").fetchone() == (3,)  # AUTOINCREMENT kept

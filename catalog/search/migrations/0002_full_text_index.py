"""The full-text index of the search documents, which Django's models cannot declare.

SQLite: an external-content FTS5 table over the folded columns, kept in sync by triggers
(so bulk inserts, like the benchmark's, are indexed too). PostgreSQL: a generated tsvector
column with a GIN index. Text is folded in Python before it is stored (đ → d included), so
neither `unaccent` (not IMMUTABLE, hence unusable in a generated column) nor any other
extension is needed. Note: a later migration that makes Django rebuild the SQLite table drops
the triggers; such a migration must re-run `create_sqlite`.
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE catalog_search_fts USING fts5(
        title_folded, body_folded,
        content='catalog_search_document', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')""",
    """CREATE TRIGGER catalog_search_fts_ai AFTER INSERT ON catalog_search_document BEGIN
        INSERT INTO catalog_search_fts(rowid, title_folded, body_folded)
        VALUES (new.id, new.title_folded, new.body_folded);
    END""",
    """CREATE TRIGGER catalog_search_fts_ad AFTER DELETE ON catalog_search_document BEGIN
        INSERT INTO catalog_search_fts(catalog_search_fts, rowid, title_folded, body_folded)
        VALUES ('delete', old.id, old.title_folded, old.body_folded);
    END""",
    """CREATE TRIGGER catalog_search_fts_au AFTER UPDATE ON catalog_search_document BEGIN
        INSERT INTO catalog_search_fts(catalog_search_fts, rowid, title_folded, body_folded)
        VALUES ('delete', old.id, old.title_folded, old.body_folded);
        INSERT INTO catalog_search_fts(rowid, title_folded, body_folded)
        VALUES (new.id, new.title_folded, new.body_folded);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS catalog_search_fts_au",
    "DROP TRIGGER IF EXISTS catalog_search_fts_ad",
    "DROP TRIGGER IF EXISTS catalog_search_fts_ai",
    "DROP TABLE IF EXISTS catalog_search_fts",
]
POSTGRESQL = [
    """ALTER TABLE catalog_search_document ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple'::regconfig, coalesce(title_folded, '')), 'A') ||
            setweight(to_tsvector('simple'::regconfig, coalesce(body_folded, '')), 'B')
        ) STORED""",
    "CREATE INDEX catalog_search_document_vector ON catalog_search_document "
    "USING GIN (search_vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS catalog_search_document_vector",
    "ALTER TABLE catalog_search_document DROP COLUMN IF EXISTS search_vector",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("catalog_search", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]

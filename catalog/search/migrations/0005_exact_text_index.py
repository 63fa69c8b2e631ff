"""SQLite: a second FTS5 table over `exact_text` that keeps diacritics, so "which matching
documents contain 'mắm' verbatim" (the exact-accent boost) is an index lookup instead of a
string search through every matching row. PostgreSQL keeps `strpos` (see database.py)."""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE catalog_search_fts_exact USING fts5(
        exact_text, content='catalog_search_document', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER catalog_search_fts_exact_ai AFTER INSERT ON catalog_search_document BEGIN
        INSERT INTO catalog_search_fts_exact(rowid, exact_text) VALUES (new.id, new.exact_text);
    END""",
    """CREATE TRIGGER catalog_search_fts_exact_ad AFTER DELETE ON catalog_search_document BEGIN
        INSERT INTO catalog_search_fts_exact(catalog_search_fts_exact, rowid, exact_text)
        VALUES ('delete', old.id, old.exact_text);
    END""",
    """CREATE TRIGGER catalog_search_fts_exact_au AFTER UPDATE ON catalog_search_document BEGIN
        INSERT INTO catalog_search_fts_exact(catalog_search_fts_exact, rowid, exact_text)
        VALUES ('delete', old.id, old.exact_text);
        INSERT INTO catalog_search_fts_exact(rowid, exact_text) VALUES (new.id, new.exact_text);
    END""",
    "INSERT INTO catalog_search_fts_exact(catalog_search_fts_exact) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS catalog_search_fts_exact_au",
    "DROP TRIGGER IF EXISTS catalog_search_fts_exact_ad",
    "DROP TRIGGER IF EXISTS catalog_search_fts_exact_ai",
    "DROP TABLE IF EXISTS catalog_search_fts_exact",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("catalog_search", "0004_index_state")]

    operations = [migrations.RunPython(run(SQLITE), run(SQLITE_REVERSE))]

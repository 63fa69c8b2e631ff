"""A worker that only shows public pages never loads the big libraries (issue 10's memory
goal): biip, shapely, reportlab, stripe and openpyxl are imported by the code that needs them
(resolving an unusual link, saving an area, drawing labels, paying, exporting); numpy by
nothing public (facet bitsets are Python ints); PyICU only by sorting names that are not
official places (catalog/data/place_order.txt); django-ninja by the open data API's first
request (not an installed app; Wagtail's unserved v3 API routers are not built:
cms/wagtail_apps.py); pillow_heif by the first HEIC file (cms/heif.py); PyYAML, Pygments and,
on SQLite, psycopg not by Django REST framework's `compat`, which Wagtail's admin URLs import
(cms/lean_imports.py).

Checked in a fresh interpreter on a copy of this test's database: Django set up, the URLconf
loaded, then the home page, the listing, a search, the scan page, the product page and the
Digital Link our labels carry.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.fresh_process import run_python
from traceability.qr import batch_path

HEAVY = (
    "biip",
    "shapely",
    "numpy",
    "reportlab",
    "stripe",
    "openpyxl",
    "icu",
    "ninja",
    "pillow_heif",
    "yaml",
    "pygments",
)

PROBE = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
from django.conf import settings
settings.DATABASES["default"].update(json.loads(os.environ["PROBE_DATABASE"]))
import django
django.setup()
from django.test import Client
from django.urls import get_resolver
get_resolver().url_patterns
client = Client()
statuses = [client.get(path).status_code for path in json.loads(os.environ["PROBE_PATHS"])]
heavy = [name for name in json.loads(os.environ["PROBE_HEAVY"]) if name in sys.modules]
print(json.dumps({"statuses": statuses, "heavy": heavy}))
"""


def _database_for_a_new_process(tmp_path: Path) -> dict[str, str]:
    """The test database as another process can open it: an in-memory SQLite one is copied."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        copy = tmp_path / "copy.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(copy) as target:
            connection.connection.backup(target)
        return {"NAME": str(copy)}
    return {"NAME": connection.settings_dict["NAME"]}


# Committed rows (another process reads them); the snapshot restored afterwards, as every
# transactional test here does, or the next one would find the flushed site re-seeded twice.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_public_pages_do_not_load_the_big_libraries(batch, tmp_path):
    paths = [
        "/vi/",  # the home page lists provinces in Vietnamese order
        "/vi/san-pham/",  # listing: facet bitsets, the province facet sorted
        "/vi/tim-kiem/?q=mat+ong",
        f"/vi/truy-xuat/{batch.short_code}/",
        batch.variant.page.url,
        batch_path(batch),  # the plain link a label carries: read without biip
    ]
    answer = run_python(
        PROBE,
        env={
            "PYTHONPATH": str(settings.BASE_DIR),
            "PROBE_DATABASE": json.dumps(_database_for_a_new_process(tmp_path)),
            "PROBE_PATHS": json.dumps(paths),
            # psycopg is the database driver on PostgreSQL
            "PROBE_HEAVY": json.dumps(
                [*HEAVY, *(["psycopg"] if connection.vendor == "sqlite" else [])]
            ),
        },
    )
    assert answer["statuses"] == [200, 200, 200, 200, 200, 307]
    assert answer["heavy"] == []

"""A worker that only shows public pages never loads the big libraries (issue 10's memory
goal): biip, shapely (and numpy), reportlab, stripe and openpyxl are imported by the code that
needs them (resolving an unusual link, saving an area, drawing labels, paying, exporting).

Checked in a fresh interpreter on a copy of this test's database: Django set up, the URLconf
loaded, then the scan page, the product page and the Digital Link our labels carry.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from traceability.qr import batch_path

HEAVY = ("biip", "shapely", "numpy", "reportlab", "stripe", "openpyxl")

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
        f"/vi/truy-xuat/{batch.short_code}/",
        batch.variant.page.url,
        batch_path(batch),  # the plain link a label carries: read without biip
    ]
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={
            **os.environ,
            "PYTHONPATH": str(settings.BASE_DIR),
            "PROBE_DATABASE": json.dumps(_database_for_a_new_process(tmp_path)),
            "PROBE_PATHS": json.dumps(paths),
            "PROBE_HEAVY": json.dumps(HEAVY),
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["statuses"] == [200, 200, 307]
    assert answer["heavy"] == []

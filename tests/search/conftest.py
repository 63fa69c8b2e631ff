"""The engine fixture: every behaviour test runs once per available engine.

`database-sqlite` or `database-postgresql` (whichever DATABASE_URL selects) always; the
`elasticsearch` param exists only when ELASTICSEARCH_URL is set, so without a server it is
absent, never counted as passing.
"""

from __future__ import annotations

import os
import uuid

import pytest
from django.db import transaction

from tests.search.catalogue import build_catalogue

DB_VENDOR = (
    "postgresql"
    if os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql"))
    else "sqlite"
)
ENGINES = [pytest.param("database", id=f"database-{DB_VENDOR}")]
if os.environ.get("ELASTICSEARCH_URL"):
    ENGINES.append(
        pytest.param("elasticsearch", id="elasticsearch", marks=pytest.mark.elasticsearch)
    )


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker):
    """Built once per module inside a transaction that is rolled back afterwards."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_catalogue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _settings_for(name: str) -> dict:
    if name == "elasticsearch":
        return {
            "CATALOG_SEARCH_ENGINE": "catalog.search.elasticsearch.ElasticsearchEngine",
            "ELASTICSEARCH_INDEX_PREFIX": f"ocop-test-{uuid.uuid4().hex[:8]}",
        }
    return {"CATALOG_SEARCH_ENGINE": "catalog.search.database.DatabaseEngine"}


@pytest.fixture(scope="module", params=ENGINES)
def engine(request, catalogue, django_db_blocker):
    """The engine under test, its index rebuilt from the module's catalogue."""
    from django.test import override_settings

    from catalog.search.base import get_search_engine

    with override_settings(**_settings_for(request.param)), django_db_blocker.unblock():
        engine = get_search_engine()
        engine.rebuild()
        yield engine
        if request.param == "elasticsearch":
            engine.drop_indices()

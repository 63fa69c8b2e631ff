"""The engine fixture: every behaviour test runs once per available engine.

- `database-sqlite` or `database-postgresql` (whichever DATABASE_URL selects): always.
- `elasticsearch`: when ELASTICSEARCH_URL points at an Elasticsearch 8/9 node.
- `opensearch`: when OPENSEARCH_URL points at an OpenSearch node, or when SEARCH_NODE=1, in
  which case the session starts the project's own node (`search-node/`, needs Java and Maven)
  on a free port and stops it at the end. With SEARCH_NODE=1 and no Java the tests fail, never
  skip.

Without a node those params do not exist (nothing is skipped or counted as passing), and
`test_node.py`, which only makes sense on a node, is not collected.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import uuid
from pathlib import Path

import pytest
from django.db import transaction

from tests.search.catalogue import build_catalogue

DB_VENDOR = (
    "postgresql"
    if os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql"))
    else "sqlite"
)
SEARCH_NODE = os.environ.get("SEARCH_NODE", "") in {"1", "true", "yes"}
NODES = []
if os.environ.get("ELASTICSEARCH_URL"):
    NODES.append("elasticsearch")
if os.environ.get("OPENSEARCH_URL") or SEARCH_NODE:
    NODES.append("opensearch")
NODE_ENGINES = [pytest.param(name, id=name, marks=pytest.mark.elasticsearch) for name in NODES]
ENGINES = [pytest.param("database", id=f"database-{DB_VENDOR}"), *NODE_ENGINES]

collect_ignore = [] if NODES else ["test_node.py"]

ROOT = Path(__file__).resolve().parents[2]
NODE_START_TIMEOUT = int(os.environ.get("SEARCH_NODE_TIMEOUT", "300"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def opensearch_url(tmp_path_factory):
    """OPENSEARCH_URL if set; else the project's node, started for this session."""
    if os.environ.get("OPENSEARCH_URL"):
        yield os.environ["OPENSEARCH_URL"]
        return
    java = (
        os.path.join(os.environ["JAVA_HOME"], "bin", "java")
        if "JAVA_HOME" in os.environ
        else "java"
    )
    if not shutil.which(java) or not shutil.which("mvn"):
        pytest.fail("SEARCH_NODE=1 needs Java 17+ and Maven to start search-node/")
    pidfile = tmp_path_factory.mktemp("search-node") / "node.pid"
    env = {
        **os.environ,
        "SEARCH_NODE_PIDFILE": str(pidfile),
        "SEARCH_NODE_TIMEOUT": str(NODE_START_TIMEOUT),
    }
    started = subprocess.run(
        [ROOT / "search-node" / "start", str(_free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=NODE_START_TIMEOUT + 900,  # + a first build's downloads
    )
    if started.returncode:
        pytest.fail(f"search node did not start:\n{started.stdout}\n{started.stderr}")
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([ROOT / "search-node" / "stop"], env=env, capture_output=True, timeout=60)


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


def engine_settings(name: str, request) -> dict:
    """Settings selecting engine `name` (a node gets a throw-away index prefix)."""
    if name == "database":
        return {"CATALOG_SEARCH_ENGINE": "catalog.search.database.DatabaseEngine"}
    node = {
        "CATALOG_SEARCH_ENGINE": "catalog.search.elasticsearch.ElasticsearchEngine",
        "ELASTICSEARCH_INDEX_PREFIX": f"ocop-test-{uuid.uuid4().hex[:8]}",
    }
    if name == "elasticsearch":
        return {**node, "ELASTICSEARCH_URL": os.environ["ELASTICSEARCH_URL"], "OPENSEARCH_URL": ""}
    return {
        **node,
        "ELASTICSEARCH_URL": "",
        "OPENSEARCH_URL": request.getfixturevalue("opensearch_url"),
    }


@pytest.fixture(scope="module", params=ENGINES)
def engine(request, catalogue, django_db_blocker):
    """The engine under test, its index rebuilt from the module's catalogue."""
    from django.test import override_settings

    from catalog.search.base import get_search_engine

    with override_settings(**engine_settings(request.param, request)), django_db_blocker.unblock():
        engine = get_search_engine()
        assert engine.name == request.param
        engine.rebuild()
        yield engine
        if request.param != "database":
            engine.drop_indices()

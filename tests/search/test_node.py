"""On a real Elasticsearch-family node only (collected only when one is configured: see
conftest). The behaviour suite and the indexing tests run there too; these check what only a
node has: its analyzers, and the alias swap of a rebuild while shoppers keep searching."""

from __future__ import annotations

import threading
import time

import pytest

from catalog.search.elasticsearch import alias_name
from catalog.search.query import SearchQuery
from tests.search.conftest import NODES

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.elasticsearch,
    pytest.mark.parametrize("engine", NODES, indirect=True),
]


def _body(response) -> dict:
    return dict(getattr(response, "body", response))


def test_the_node_is_the_real_engine(engine):
    version = _body(engine.client.info())["version"]
    assert version.get("distribution", "elasticsearch") == engine.name
    health = _body(engine.client.cluster.health(index=alias_name()))
    assert health["status"] == "green"


def test_folding_analyzer_on_the_node_folds_diacritics_and_d_stroke(engine):
    analyzed = _body(
        engine.client.indices.analyze(
            index=alias_name(), body={"analyzer": "folding", "text": "Đắk Lắk Vải thiều"}
        )
    )
    assert [t["token"] for t in analyzed["tokens"]] == ["dak", "lak", "vai", "thieu"]
    exact = _body(
        engine.client.indices.analyze(index=alias_name(), body={"analyzer": "exact", "text": "Mắm"})
    )
    assert [t["token"] for t in exact["tokens"]] == ["mắm"]


def test_rebuild_swaps_the_alias_while_searches_keep_succeeding(engine, catalogue):
    everything = len(catalogue.products)
    honey = ["Mật ong hoa nhãn", "Mật ong rừng U Minh"]
    stop = threading.Event()
    outcomes: list[tuple[int, list[str]]] = []
    failures: list[BaseException] = []

    def keep_searching():
        while not stop.is_set():
            try:
                total = engine.search(SearchQuery(page_size=100)).total
                found = sorted(h.title for h in engine.search(SearchQuery(text="mat ong")).hits)
                outcomes.append((total, found))
            except BaseException as exc:  # any failed search fails the test
                failures.append(exc)

    searcher = threading.Thread(target=keep_searching)
    searcher.start()
    try:
        time.sleep(0.2)
        before = set(_body(engine.client.indices.get_alias(name=alias_name())))
        counts = [engine.rebuild() for _ in range(3)]
        time.sleep(0.2)
    finally:
        stop.set()
        searcher.join(timeout=30)

    assert failures == []
    assert counts == [everything] * 3
    assert len(outcomes) >= 10  # searches really ran during the rebuilds
    assert [o for o in outcomes if o != (everything, honey)] == []
    after = set(_body(engine.client.indices.get_alias(name=alias_name())))
    assert len(after) == 1 and after != before
    indices = _body(engine.client.indices.get(index=f"{alias_name()}-*"))
    assert set(indices) == after  # the old indices are gone

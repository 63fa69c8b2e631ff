"""Recall@5 over the query corpus (tests/search/corpus.py), on every engine of the suite.

Recorded in docs/search.md. English queries go through the /en/ JSON endpoint, as an English
shopper's would; the others ask the engine directly.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from catalog.search.query import SearchQuery
from tests.search.corpus import MUST_PASS, corpus

pytestmark = pytest.mark.django_db

RECALL_AT_5 = 0.97
TOP = 5


def top_titles(engine, client, case) -> list[str]:
    if case.lang == "vi":
        return [h.title for h in engine.search(SearchQuery(text=case.query)).hits[:TOP]]
    with translation.override(case.lang):
        url = reverse("search:api")
    hits = client.get(url, {"q": case.query}).json()["hits"]
    return [h["title"] for h in hits[:TOP]]


def test_the_corpus_has_at_least_200_queries_of_every_kind():
    cases = corpus()
    assert len(cases) >= 200
    kinds = {"typo" if c.kind.startswith("typo") else c.kind for c in cases}
    assert {"accent-free", "typo", "telex", "vni", "joined", "loan", "english"} <= kinds
    assert any(c.lang == "en" for c in cases)


def test_recall_at_5_over_the_corpus(engine, client):
    cases = corpus()
    missed = [c for c in cases if c.expected not in top_titles(engine, client, c)]
    recall = 1 - len(missed) / len(cases)
    print(f"\nrecall@5 ({engine.name}): {recall:.3f} over {len(cases)} queries")
    for case in missed:
        print(f"  missed [{case.kind}] {case.query!r} → {case.expected}")
    assert recall >= RECALL_AT_5, [c.query for c in missed]


@pytest.mark.parametrize("case", MUST_PASS, ids=lambda c: c.query)
def test_must_pass_queries_find_the_product_in_the_top_5(engine, client, case):
    assert case.expected in top_titles(engine, client, case)

"""The database engine's result order, tie by tie, on whichever database the run uses.

SQLite orders (id, bm25) pairs in Python, or, past `rank_limit` matches, groups of equal
relevance held as bitsets; PostgreSQL orders every match inside one SQL
statement. Both must give one order: exact-accent matches first, then text relevance (title
before body), stars, newest, and the document id as the last tie-break; paging and filters
must cut that one order, never re-rank it.

The catalogue's eight documents are rewritten so that each tie-break decides a pair.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from catalog.search.database import DatabaseEngine
from catalog.search.models import SearchDocument
from catalog.search.query import SearchQuery
from catalog.search.text import exact_text, folded_text

pytestmark = pytest.mark.django_db

# name → (title, body, stars, days since published); "xôi" and "xới" both fold to "xoi".
DOCUMENTS = {
    "accent": ("Xôi", "", 3, 9),
    "five": ("Xới", "", 5, 9),
    "four-older": ("Xới", "", 4, 9),
    "four-newer": ("Xới", "", 4, 1),
    "four-twin-1": ("Xới", "", 4, 9),
    "four-twin-2": ("Xới", "", 4, 9),
    "body-only": ("Khác", "xới", 5, 9),
    "no-match": ("Khác", "khác", 5, 9),
}


@pytest.fixture(params=["scored", "tiered"])
def ranked(catalogue, request):
    """name → document id, after rewriting the catalogue's documents.

    "tiered": the reading of a broad query (more matches than `rank_limit`), ranked by
    bitset tiers instead of bm25 / ts_rank, must give the very same order.
    """
    engine = DatabaseEngine()
    if request.param == "tiered":
        engine.rank_limit = 0
    engine.rebuild()
    ids = list(SearchDocument.objects.order_by("pk").values_list("pk", flat=True))
    assert len(ids) == len(DOCUMENTS)
    # Twins share everything but the id: the same instant, not just the same day.
    now = timezone.now().replace(microsecond=0)
    names = {}
    for pk, (name, (title, body, stars, age)) in zip(ids, DOCUMENTS.items(), strict=True):
        SearchDocument.objects.filter(pk=pk).update(
            title=title,
            summary="",
            body=body,
            title_folded=folded_text(title),
            body_folded=folded_text(body),
            exact_text=exact_text(title, body),
            stars=stars,
            published_at=now - dt.timedelta(days=age),
        )
        names[name] = pk
    engine.touch()
    return engine, names


def order(engine, names, **kwargs) -> list[str]:
    by_pk = {pk: name for name, pk in names.items()}
    documents = dict(SearchDocument.objects.values_list("product_id", "pk"))
    results = engine.search(SearchQuery(page_size=100, **kwargs))
    return [by_pk[documents[hit.product_id]] for hit in results.hits]


def twins_by_id(names) -> list[str]:
    twins = ["four-older", "four-twin-1", "four-twin-2"]
    return sorted(twins, key=names.__getitem__)


def test_relevance_order_breaks_each_tie_in_turn(ranked):
    engine, names = ranked
    assert order(engine, names, text="xôi") == [
        "accent",  # the accented word verbatim, despite 3★
        "five",  # title match, 5★
        "four-newer",  # 4★, published later
        *twins_by_id(names),  # 4★, same instant: by id
        "body-only",  # the word only in the body ranks below every title match, 5★ or not
    ]


def test_unaccented_query_gives_no_accent_bonus(ranked):
    engine, names = ranked
    assert order(engine, names, text="xoi") == [
        "five",
        "four-newer",
        *twins_by_id(names),
        "accent",
        "body-only",
    ]


def test_stars_sort_orders_by_stars_then_relevance(ranked):
    engine, names = ranked
    assert order(engine, names, text="xôi", sort="stars") == [
        "five",
        "body-only",
        "four-newer",
        *twins_by_id(names),
        "accent",
    ]


@pytest.mark.parametrize("sort", ["relevance", "stars"])
def test_pages_of_a_ranked_query_cut_the_one_order(ranked, sort):
    engine, names = ranked
    whole = order(engine, names, text="xôi", sort=sort)
    by_pk = {pk: name for name, pk in names.items()}
    documents = dict(SearchDocument.objects.values_list("product_id", "pk"))
    pages = []
    for page in (1, 2, 3, 4):
        results = engine.search(SearchQuery(text="xôi", sort=sort, page=page, page_size=2))
        assert results.total == 7
        pages += [by_pk[documents[hit.product_id]] for hit in results.hits]
    assert pages == whole


def test_filters_keep_the_relevance_order(ranked):
    engine, names = ranked
    assert order(engine, names, text="xôi", stars=[4]) == ["four-newer", *twins_by_id(names)]
    results = engine.search(SearchQuery(text="xôi", stars=[4], page=2, page_size=2))
    assert results.total == 4
    assert results.facets["stars"] == {3: 1, 4: 4, 5: 2}
    assert len(results.hits) == 2

"""Facet option links: the same query strings `QueryDict` writes, for any parameters."""

from __future__ import annotations

from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from catalog.search.presenters import _price_url, _toggle

NAMES = st.sampled_from(["q", "group", "province", "stars", "page", "price_min", "price_max", "ó"])
VALUES = st.text(max_size=6)
PARAMS = st.lists(st.tuples(NAMES, VALUES), max_size=8)


def query_dict(pairs) -> QueryDict:
    params = QueryDict(mutable=True)
    for name, value in pairs:
        params.appendlist(name, value)
    return params


def oracle_toggle(params: QueryDict, name: str, value: str) -> str:
    q = params.copy()
    values = q.getlist(name)
    q.setlist(name, [v for v in values if v != value] if value in values else [*values, value])
    q.pop("page", None)
    return "?" + q.urlencode()


def oracle_price_url(params: QueryDict, low, high, selected: bool) -> str:
    q = params.copy()
    q.pop("page", None)
    q.pop("price_min", None)
    q.pop("price_max", None)
    if not selected:
        q["price_min"] = str(low)
        if high is not None:
            q["price_max"] = str(high)
    return "?" + q.urlencode()


@given(PARAMS, NAMES, VALUES)
def test_toggle_link_is_what_querydict_writes(pairs, name, value):
    params = query_dict(pairs)
    assert _toggle(params, name, value) == oracle_toggle(params, name, value)


@given(
    PARAMS,
    st.integers(0, 10**9),
    st.one_of(st.none(), st.integers(0, 10**9)),
    st.booleans(),
)
def test_price_link_is_what_querydict_writes(pairs, low, high, selected):
    params = query_dict(pairs)
    assert _price_url(params, low, high, selected) == oracle_price_url(params, low, high, selected)

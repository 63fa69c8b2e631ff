"""Facet option links: the same query strings `QueryDict` writes, for any parameters."""

from __future__ import annotations

from django.http import QueryDict
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from catalog.search.presenters import Facet, FacetOption, _price_url, _toggle

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


# The markup templates/search/facets.html wrote with a loop per facet, kept as the oracle.
OPTIONS_TEMPLATE = (
    '{% if facet.name == "price" %}'
    '{% for option in facet.options %}<li><a href="{{ option.url }}"{% if option.selected %}'
    ' aria-current="true" class="selected"{% endif %}>{{ option.label }} <span class="count">'
    "({{ option.count }})</span></a></li>{% endfor %}"
    "{% else %}"
    '{% for option in facet.options %}<li><label><input type="checkbox" name="{{ facet.param }}"'
    ' value="{{ option.value }}"{% if option.selected %} checked{% endif %}> {{ option.label }}'
    ' <span class="count">({{ option.count }})</span></label></li>{% endfor %}'
    "{% endif %}"
)
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
OPTIONS = st.lists(
    st.builds(
        FacetOption,
        value=st.one_of(st.integers(-5, 10**6), TEXT),
        label=TEXT,
        count=st.integers(0, 10**6),
        selected=st.booleans(),
        url=TEXT,
    ),
    max_size=6,
)


@given(st.sampled_from(["group", "province", "stars", "kind", "price"]), TEXT, OPTIONS)
def test_facet_options_are_written_as_the_template_wrote_them(name, param, options):
    from django.template import Context, Template

    facet = Facet(name=name, title="t", options=options, param=param)
    for language in ("vi", "en"):
        with translation.override(language):
            oracle = Template(OPTIONS_TEMPLATE).render(Context({"facet": facet}))
            assert facet.options_html == oracle

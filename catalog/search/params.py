"""Read a search from URL parameters; a malformed value is dropped with a clear message.

The URL holds the whole state (shareable): q, group, subgroup, province, stars, kind (each
repeatable), price_min, price_max, sort, page.
"""

from __future__ import annotations

from django.http import QueryDict
from django.utils.translation import gettext as _

from catalog.addresses import province_name
from catalog.models import ProducerType
from catalog.search.query import SORTS, SearchQuery

MAX_QUERY_LENGTH = 200
MAX_VALUES = 50
# The filter (facet) parameters: what "clear filters" drops, what the fuzz tests vary.
FACET_PARAMS = ("group", "subgroup", "province", "stars", "kind", "price_min", "price_max")


MAX_PRICE = 10**12  # đồng: far above any product, within every engine's integers


def _ints(values: list[str], label: str, errors: list[str], allowed=None) -> list[int]:
    out: list[int] = []
    for raw in values[:MAX_VALUES]:
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = None
        if value is not None and not 0 < value < 2**63:  # no id is 0, negative or past bigint
            value = None
        if value is None or (allowed is not None and value not in allowed):
            errors.append(
                _("“%(value)s” is not a valid %(filter)s: that filter was ignored.")
                % {"value": raw[:40], "filter": label}
            )
            continue
        if value not in out:
            out.append(value)
    return out


def _price(raw: str | None, label: str, errors: list[str]) -> int | None:
    if raw is None or raw.strip() == "":
        return None
    try:
        value = int(raw.replace(".", "").replace(",", "").strip())
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_PRICE:
        errors.append(
            _("The %(which)s must be a whole number of đồng, 0 or more: it was ignored.")
            % {"which": label}
        )
        return None
    return value


def parse_search_params(params: QueryDict) -> tuple[SearchQuery, list[str]]:
    errors: list[str] = []
    text = " ".join((params.get("q") or "").split())[:MAX_QUERY_LENGTH]
    kinds = []
    for raw in params.getlist("kind")[:MAX_VALUES]:
        if raw in ProducerType.values:
            if raw not in kinds:
                kinds.append(raw)
        else:
            errors.append(
                _("“%(value)s” is not a producer type: that filter was ignored.")
                % {"value": raw[:40]}
            )
    provinces = []
    for code in _ints(params.getlist("province"), _("province"), errors):
        if province_name(code):
            provinces.append(code)
        else:
            errors.append(_("There is no province with code %(code)s.") % {"code": code})
    price_min = _price(params.get("price_min"), _("lowest price"), errors)
    price_max = _price(params.get("price_max"), _("highest price"), errors)
    if price_min is not None and price_max is not None and price_min > price_max:
        errors.append(_("The lowest price was above the highest: they were swapped."))
        price_min, price_max = price_max, price_min
    sort = params.get("sort") or "relevance"
    if sort not in SORTS:
        errors.append(
            _("Unknown sort order “%(value)s”: sorted by relevance.") % {"value": sort[:40]}
        )
        sort = "relevance"
    page = 1
    raw_page = params.get("page")
    if raw_page not in (None, ""):
        try:
            page = int(raw_page)
        except ValueError:
            page = 0
        if page < 1:
            errors.append(
                _("“%(value)s” is not a page number: showing the first page.")
                % {"value": raw_page[:40]}
            )
            page = 1
    query = SearchQuery(
        text=text,
        groups=_ints(params.getlist("group"), _("OCOP group"), errors),
        subgroups=_ints(params.getlist("subgroup"), _("OCOP subgroup"), errors),
        provinces=provinces,
        stars=_ints(params.getlist("stars"), _("star rating"), errors, allowed={3, 4, 5}),
        kinds=kinds,
        price_min=price_min,
        price_max=price_max,
        sort=sort,
        page=page,
    )
    return query, errors

"""Turn engine results into what pages and JSON show: links in the request's locale, images,
facet options with labels, counts and toggle URLs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.utils.functional import lazy
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from catalog.addresses import short_province_name, sort_places
from catalog.english import wants_english
from catalog.models import OcopGroup, ProducerType, ProductPage
from catalog.money import format_vnd
from catalog.search.query import PRICE_BUCKETS, SearchQuery, SearchResults
from catalog.services import printed
from cms import sitememo


def attach_urls(items: list[Any], request: HttpRequest) -> None:
    """Set `.url` to the live page of the request's locale with the item's translation key."""
    if not items:
        return
    keys = {item.translation_key for item in items}
    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:
        locale = Locale.get_default()
    pages = {
        str(p.translation_key): p
        for p in Page.objects.live().filter(translation_key__in=keys, locale=locale)
    }
    for item in items:
        page = pages.get(item.translation_key)
        item.url = page.get_url(request) if page is not None else ""
    if wants_english():
        _use_english_text(items, keys)


def _use_english_text(items: list[Any], keys: set[str]) -> None:
    """On the English site, hits and suggestions name products in English where given."""
    english = {
        str(key): (title, summary)
        for key, title, summary in ProductPage.objects.filter(
            translation_key__in=keys, locale__language_code=settings.LANGUAGE_CODE
        )
        .exclude(title_en="")
        .values_list("translation_key", "title_en", "summary_en")
    }
    for item in items:
        found = english.get(str(item.translation_key))
        if found is None:
            continue
        title, summary = found
        if hasattr(item, "title_html"):
            item.title, item.title_html = title, escape(title)
            if summary:
                item.summary, item.summary_html = summary, escape(summary)
        else:
            item.text, item.text_html = title, escape(title)


def attach_images(hits: list[Any]) -> None:
    ids = {h.image_id for h in hits if h.image_id}
    if not ids:
        return
    images = {
        i.pk: i for i in get_image_model().objects.filter(pk__in=ids).prefetch_related("renditions")
    }
    for hit in hits:
        hit.image = images.get(hit.image_id)


@dataclass
class FacetOption:
    value: Any
    label: str
    count: int
    selected: bool
    url: str


@dataclass
class Facet:
    name: str
    title: str
    options: list[FacetOption]
    param: str = ""

    @property
    def options_html(self) -> str:
        """The facet's `<li>` items (templates/search/facets.html): a link per price range, a
        checkbox per other value. Written here, not by a template loop: a listing shows about
        fifty options and the loop was a quarter of its rendering (the template's former
        markup is the oracle of tests/search/test_facet_links.py)."""
        if self.name == "price":
            current = ' aria-current="true" class="selected"'
            items = (
                f'<li><a href="{printed(o.url)}"{current if o.selected else ""}>'
                f'{printed(o.label)} <span class="count">({printed(o.count)})</span></a></li>'
                for o in self.options
            )
        else:
            name = printed(self.param)
            items = (
                f'<li><label><input type="checkbox" name="{name}" value="{printed(o.value)}"'
                f"{' checked' if o.selected else ''}> {printed(o.label)} "
                f'<span class="count">({printed(o.count)})</span></label></li>'
                for o in self.options
            )
        return mark_safe("".join(items))  # noqa: S308 - every value escaped as {{ }} does


def ocop_groups() -> dict[int, OcopGroup]:
    """Every group of Decision 148 by id, for facet labels (kept per worker while nothing
    listed changes: cms.sitememo; an edited group voids every page)."""
    return sitememo.listed(
        "ocop-groups-148", lambda: {g.pk: g for g in OcopGroup.objects.filter(scheme="148")}
    )


def _lists(params: QueryDict, *dropped: str) -> dict[str, list[str]]:
    """The parameters as {name: values}, in their order, without `dropped` (a cheap copy: a
    facet block builds a link per option, and `QueryDict.copy` deep-copies)."""
    return {name: list(values) for name, values in params.lists() if name not in dropped}


def _query_string(lists: dict[str, list[str]]) -> str:
    """As `QueryDict.urlencode()` writes the same parameters."""
    return "?" + urlencode([(name, value) for name, values in lists.items() for value in values])


def _toggle(params: QueryDict, name: str, value: str) -> str:
    q = _lists(params)
    values = q.get(name, [])
    q[name] = [v for v in values if v != value] if value in values else [*values, value]
    q.pop("page", None)
    return _query_string(q)


def _link(base_url: str, params: QueryDict, name: str, value: str) -> str:
    return base_url + _toggle(params, name, value)


_lazy_link = lazy(_link, str)


def _price_url(params: QueryDict, low: int | None, high: int | None, selected: bool) -> str:
    q = _lists(params, "page", "price_min", "price_max")
    if not selected:
        q["price_min"] = [str(low)]
        if high is not None:
            q["price_max"] = [str(high)]
    return _query_string(q)


def price_label(low: int, high: int | None) -> str:
    if low == 0 and high is not None:
        return _("Under %(price)s") % {"price": format_vnd(high + 1)}
    if high is None:
        return _("%(price)s and more") % {"price": format_vnd(low)}
    return f"{format_vnd(low)} – {format_vnd(high)}"


def build_facets(
    query: SearchQuery, results: SearchResults, params: QueryDict, base_url: str = ""
) -> list[Facet]:
    """Every facet with its options; options without matches are hidden unless selected.

    Option links are relative to the current page, or to `base_url` (a listing's facets lead
    to the search page)."""
    selected = query.filters()
    groups = ocop_groups()
    labels = {
        "group": lambda v: groups[v].display_name if v in groups else str(v),
        "subgroup": lambda v: groups[v].display_name if v in groups else str(v),
        "province": short_province_name,
        "stars": lambda v: f"{v}★",
        "kind": lambda v: str(ProducerType(v).label) if v in ProducerType.values else v,
    }
    titles = {
        # Shared with the model's verbose name, which Vietnamese writes in lower case.
        "group": capfirst(_("OCOP group")),
        "subgroup": _("Subgroup"),
        "province": _("Province"),
        "stars": _("Stars"),
        "kind": _("Producer type"),
    }
    facets = []
    for name in ("group", "subgroup", "province", "stars", "kind"):
        counts = dict(results.facets.get(name, {}))
        for value in selected[name]:
            counts.setdefault(value, 0)
        options = [
            FacetOption(
                value=value,
                label=labels[name](value),
                count=count,
                selected=value in selected[name],
                # Written only if shown: the checkboxes of the form need no link, a chip does.
                url=_lazy_link(base_url, params, name, str(value)),
            )
            for value, count in counts.items()
            if count or value in selected[name]
        ]
        if name == "stars":
            options.sort(key=lambda o: -o.value)
        elif name in ("group", "subgroup"):
            options.sort(key=lambda o: groups[o.value].code if o.value in groups else "")
        elif name == "province":
            options = sort_places(options, name=lambda o: o.label)
        else:
            options.sort(key=lambda o: o.label)
        facets.append(Facet(name=name, title=titles[name], options=options, param=name))
    price_counts = results.facets.get("price", {})
    price_options = []
    for i, (low, high) in enumerate(PRICE_BUCKETS):
        is_selected = query.price_min == low and query.price_max == high
        if price_counts.get(i) or is_selected:
            price_options.append(
                FacetOption(
                    value=i,
                    label=price_label(low, high),
                    count=price_counts.get(i, 0),
                    selected=is_selected,
                    url=base_url + _price_url(params, low, high, is_selected),
                )
            )
    facets.append(Facet(name="price", title=_("Price"), options=price_options, param="price"))
    return facets


@dataclass
class Chip:
    label: str
    url: str  # the same page without this filter


def chosen_chips(
    query: SearchQuery, facets: list[Facet], params: QueryDict, base_url: str = ""
) -> list[Chip]:
    """The chosen filters as removable chips (each links to the page without it)."""
    chips = [
        Chip(label=f"{facet.title}: {option.label}", url=option.url)
        for facet in facets
        if facet.name != "price"
        for option in facet.options
        if option.selected
    ]
    if query.price_min is not None or query.price_max is not None:
        low = format_vnd(query.price_min or 0)
        high = format_vnd(query.price_max) if query.price_max is not None else "…"
        chips.append(
            Chip(
                label=f"{_('Price')}: {low} – {high}",
                url=base_url + _price_url(params, None, None, selected=True),
            )
        )
    return chips


SORT_LABELS = {  # lazy: translated per request, not in the language active at import
    "relevance": gettext_lazy("Relevance"),
    "price_asc": gettext_lazy("Price: low to high"),
    "price_desc": gettext_lazy("Price: high to low"),
    "stars": gettext_lazy("Stars"),
    "newest": gettext_lazy("Newest"),
    "title": gettext_lazy("Name: A to Z"),
}


def sort_options() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in SORT_LABELS.items()]


@dataclass
class DeadEndHelp:
    """What an empty result page offers instead of a bare "no results"."""

    nearest: list[Any]
    corrected: list[str]
    groups: list[FacetOption]


NEAREST_LIMIT = 6


def dead_end_help(engine, query: SearchQuery, results: SearchResults) -> DeadEndHelp:
    """The nearest products (any word matching, else the best rated), the corrected query and
    the OCOP groups that have products, linking to the search page filtered by group."""
    nearest: list[Any] = []
    corrected = list(results.suggestions)
    if query.text.strip():
        loose = engine.search(
            SearchQuery(text=query.text, match_any=True, page_size=NEAREST_LIMIT, on=query.on)
        )
        nearest = loose.hits
        corrected = corrected or list(loose.suggestions)
    everything = engine.search(SearchQuery(sort="stars", page_size=NEAREST_LIMIT, on=query.on))
    if not nearest:
        nearest = everything.hits
    groups = {g.pk: g for g in OcopGroup.objects.filter(scheme="148", parent__isnull=True)}
    options = [
        FacetOption(
            value=pk,
            label=groups[pk].display_name,
            count=count,
            selected=False,
            url=f"?group={pk}",
        )
        for pk, count in everything.facets.get("group", {}).items()
        if count and pk in groups
    ]
    options.sort(key=lambda o: groups[o.value].code)
    return DeadEndHelp(nearest=nearest, corrected=corrected, groups=options)


def listing_query(group=None, province=None, page_size: int = 1) -> tuple[SearchQuery, list]:
    """The search query of a catalogue listing (all, by group, by province) and its fixed
    filters as (facet name, value) pairs."""
    query = SearchQuery(page_size=page_size)
    fixed: list[tuple[str, int]] = []
    if group is not None:
        if group.parent_id is None:
            query.groups = [group.pk]
            fixed = [("group", group.pk)]
        else:
            leaves = leaf_groups(group)
            query.subgroups = leaves
            fixed = [("subgroup", pk) for pk in leaves]
    if province is not None:
        query.provinces = [int(province.code)]
        fixed.append(("province", int(province.code)))
    return query, fixed


def listing_facets(
    request: HttpRequest,
    group=None,
    province=None,
    found: tuple[SearchQuery, list, SearchResults] | None = None,
) -> dict[str, Any]:
    """The search page's facets for a catalogue listing (all, by group, by province).

    Counts come from the search engine under the listing's own filter (`found`: the query, its
    fixed filters and the results the listing's cards came from, else one search here); the
    facet form and its links lead to the search page with that filter kept, where the shopper
    narrows further. A failing engine never breaks the listing: the facets are then left out.
    """
    import logging

    from django.urls import reverse

    from catalog.search.base import get_search_engine

    if found is not None:
        query, fixed, results = found
    else:
        query, fixed = listing_query(group, province)
        try:
            results = get_search_engine().search(query)
        except Exception:  # noqa: BLE001 - the listing itself must still render
            logging.getLogger(__name__).exception("Facets of a listing could not be counted")
            return {}
    params = QueryDict(mutable=True)
    for name, value in fixed:
        params.appendlist(name, str(value))
    search_url = reverse("search:results")
    facets = build_facets(query, results, params, base_url=search_url)
    return {
        "facets": facets,
        "query": query,
        "facet_fixed": fixed,
        "facet_action": search_url,
        "chips": [],
    }


def leaf_groups(group) -> list[int]:
    """The group itself and every group below it (the subgroup facet counts product groups;
    a listing by group shows their products)."""
    ids, frontier = [group.pk], [group.pk]
    while frontier:
        frontier = list(
            OcopGroup.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        ids += frontier
    return ids

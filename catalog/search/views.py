"""The search page and its JSON twins. Views never know which engine serves them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from catalog.money import format_vnd
from catalog.search.base import get_search_engine
from catalog.search.params import FACET_PARAMS, MAX_QUERY_LENGTH, parse_search_params
from catalog.search.presenters import (
    attach_images,
    attach_urls,
    build_facets,
    chosen_chips,
    dead_end_help,
    sort_options,
)
from catalog.search.query import SearchQuery, SearchResults
from security.throttle import rate_limited

SUGGESTION_LIMIT = 8


def run_search(request: HttpRequest) -> tuple[SearchQuery, SearchResults, list[str]]:
    """Parse the URL, search, and fall back to the last page when the page is out of range."""
    query, errors = parse_search_params(request.GET)
    engine = get_search_engine()
    results = engine.search(query)
    if query.page > results.num_pages:
        if results.total:
            errors.append(
                _("There is no page %(page)s: showing page %(last)s, the last one.")
                % {"page": query.page, "last": results.num_pages}
            )
        query.page = results.num_pages
        if results.total:
            results = engine.search(query)
        else:
            results.page = 1
    attach_urls(results.hits, request)
    return query, results, errors


def _page_url(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return "?" + params.urlencode()


@require_safe
@rate_limited("search", methods=["GET"])
def search_page(request: HttpRequest) -> HttpResponse:
    query, results, errors = run_search(request)
    help_ = None
    if not results.total:  # never a bare "no results"
        help_ = dead_end_help(get_search_engine(), query, results)
        attach_urls(help_.nearest, request)
        attach_images(help_.nearest)
    attach_images(results.hits)
    clear = request.GET.copy()
    for name in (*FACET_PARAMS, "page"):
        clear.pop(name, None)
    facets = build_facets(query, results, request.GET)
    context = {
        "query": query,
        "search_query": query.text,
        "results": results,
        "errors": errors,
        "facets": facets,
        "chips": chosen_chips(query, facets, request.GET),
        "sort_options": sort_options(),
        "has_filters": any(query.filters().values())
        or query.price_min is not None
        or query.price_max is not None,
        "clear_url": "?" + clear.urlencode(),
        "previous_url": _page_url(request, results.page - 1) if results.page > 1 else "",
        "next_url": _page_url(request, results.page + 1)
        if results.page < results.num_pages
        else "",
        "suggestion_urls": [
            (s, "?" + _q(s)) for s in (help_.corrected if help_ else results.suggestions)
        ],
        "dead_end": help_,
    }
    return render(request, "search/results.html", context)


def _q(text: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"q": text})


@require_safe
@rate_limited("search", methods=["GET"], json=True)
def search_json(request: HttpRequest) -> JsonResponse:
    query, results, errors = run_search(request)
    facets = build_facets(query, results, request.GET)
    return JsonResponse(
        {
            "query": query.text,
            "total": results.total,
            "page": results.page,
            "num_pages": results.num_pages,
            "sort": query.effective_sort,
            "errors": errors,
            "suggestions": results.suggestions,
            "corrections": results.corrections,
            "relaxed": results.relaxed,
            "hits": [
                {
                    "title": hit.title,
                    "title_html": str(hit.title_html),
                    "summary_html": str(hit.summary_html),
                    "url": hit.url,
                    "stars": hit.stars,
                    "min_price": hit.min_price,
                    "price_display": format_vnd(hit.min_price) if hit.min_price else "",
                    "in_stock": hit.in_stock,
                    "producer": hit.producer_name,
                    "province_code": hit.province_code,
                }
                for hit in results.hits
            ],
            "facets": {
                facet.name: [
                    {
                        "value": o.value,
                        "label": o.label,
                        "count": o.count,
                        "selected": o.selected,
                    }
                    for o in facet.options
                ]
                for facet in facets
            },
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
@rate_limited("search", methods=["GET"], json=True)
def suggest_json(request: HttpRequest) -> JsonResponse:
    text = (request.GET.get("q") or "")[:MAX_QUERY_LENGTH]
    suggestions = get_search_engine().suggest(text, SUGGESTION_LIMIT) if text.strip() else []
    attach_urls(suggestions, request)
    return JsonResponse(
        {
            "query": text,
            "suggestions": [
                {"text": s.text, "html": str(s.text_html), "url": s.url} for s in suggestions
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )

"""The public registry (/<lang>/ocop/), its exports, and the statistics (/<lang>/thong-ke/).

Not in the page cache (cms.pagecache is opt-in): the figures change with every certificate and
with the date. Bad filters answer 400 with the reasons, never a 500.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail.models import Page

from catalog.addresses import province_choices, province_slug
from catalog.models import OcopGroup, ProducerType
from registry import exports
from registry.charts import bar_chart
from registry.figures import FIGURES
from registry.filters import parse_filters
from registry.queries import RegistryEntry, entries, group_label, registry_queryset
from registry.statistics import programme_statistics
from registry.status import RegistryStatus

PER_PAGE = 25


def _filter_choices() -> dict:
    return {
        "provinces": [(province_slug(code), name) for code, name in province_choices()],
        "groups": _group_choices(),
        "stars": [3, 4, 5],
        "producer_types": ProducerType.choices,
        "statuses": RegistryStatus.choices,
        "years": list(range(timezone.localdate().year, 2017, -1)),
    }


def _group_choices() -> list[tuple[str, str]]:
    """Top-level groups by slug, current criteria first; a slug both versions share filters both."""
    groups = sorted(
        OcopGroup.objects.filter(parent__isnull=True),
        key=lambda g: (g.scheme != "148", g.scheme, g.code),
    )
    choices: dict[str, str] = {}
    for group in groups:
        choices.setdefault(group.slug, group_label(group))
    return list(choices.items())


def _product_links(request: HttpRequest, rows: list[RegistryEntry]) -> dict[int, str]:
    """The live product page of each row in the visitor's language (one query)."""
    from catalog.models import ProductPage

    language = translation.get_language() or "vi"
    sources = ProductPage.objects.filter(pk__in=[r.product_id for r in rows if r.product_live])
    pages = Page.objects.filter(
        translation_key__in=sources.values("translation_key"),
        locale__language_code=language,
        live=True,
    ).only("pk", "url_path", "translation_key")
    by_key = {p.translation_key: p for p in pages}
    keys = dict(sources.values_list("pk", "translation_key"))
    links = {}
    for product_id, key in keys.items():
        page = by_key.get(key)
        if page is not None:
            url = page.get_url(request=request)
            if url:
                links[product_id] = url
    return links


def registry_page(request: HttpRequest) -> HttpResponse:
    parsed = parse_filters(request.GET)
    context = {"filters": parsed.filters, "errors": parsed.errors, **_filter_choices()}
    if parsed.errors:
        return render(request, "registry/registry.html", context, status=400)
    page_obj = Paginator(registry_queryset(parsed.filters), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = entries(page_obj.object_list)
    links = _product_links(request, rows)
    params = parsed.filters.as_params()
    context.update(
        page_obj=page_obj,
        rows=[(row, links.get(row.product_id)) for row in rows],
        query_string=urlencode(params),
        total=page_obj.paginator.count,
    )
    return render(request, "registry/registry.html", context)


def _bad_request(errors: dict[str, str]) -> HttpResponse:
    return HttpResponse(
        "\n".join(errors.values()) + "\n", status=400, content_type="text/plain; charset=utf-8"
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def registry_csv(request: HttpRequest) -> HttpResponse:
    parsed = parse_filters(request.GET)
    if parsed.errors:
        return _bad_request(parsed.errors)
    rows = entries(registry_queryset(parsed.filters))
    return _download(exports.registry_csv(rows), "text/csv; charset=utf-8", "ocop-registry.csv")


def registry_xlsx(request: HttpRequest) -> HttpResponse:
    parsed = parse_filters(request.GET)
    if parsed.errors:
        return _bad_request(parsed.errors)
    rows = entries(registry_queryset(parsed.filters))
    return _download(
        exports.registry_xlsx(rows),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ocop-registry.xlsx",
    )


def statistics_page(request: HttpRequest) -> HttpResponse:
    parsed = parse_filters(request.GET)
    context = {"filters": parsed.filters, "errors": parsed.errors, **_filter_choices()}
    if parsed.errors:
        return render(request, "registry/statistics.html", context, status=400)
    stats = programme_statistics(parsed.filters)
    figures = []
    for figure in FIGURES.values():
        rows = figure.rows(stats)
        chart = None
        if figure.chart:
            chart = bar_chart(
                f"chart-{figure.slug}", str(figure.title), [(r[0], r[-1]) for r in rows]
            )
        figures.append({"figure": figure, "rows": rows, "chart": chart})
    context.update(
        stats=stats,
        figures=figures,
        query_string=urlencode(parsed.filters.as_params()),
    )
    return render(request, "registry/statistics.html", context)


def statistics_csv(request: HttpRequest, figure: str) -> HttpResponse:
    chosen = FIGURES.get(figure)
    if chosen is None:
        raise Http404(_("No such figure."))
    parsed = parse_filters(request.GET)
    if parsed.errors:
        return _bad_request(parsed.errors)
    stats = programme_statistics(parsed.filters)
    content = exports.table_csv(chosen.header, chosen.rows(stats))
    return _download(content, "text/csv; charset=utf-8", f"ocop-{figure}.csv")

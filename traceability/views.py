"""Public views: the GS1 Digital Link resolver, short codes, the scan page, problem reports.

The scan page is the most visited page of the site and is read on slow phones: it is rendered
in a fixed number of queries, with no JavaScript needed and only sized image renditions, and
it is cacheable by a CDN. It never touches the session (no `request.user`, no CSRF token), so
no `Vary: Cookie` or `Set-Cookie` stops a CDN from sharing it; the problem-report form, which
needs a CSRF token, is on its own uncached page — except on per-unit serial pages, which are
never cached (each view counts a scan) and carry the form themselves.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from catalog.models import ProductVariant
from cms import pagecache
from security.client import client_ip
from security.throttle import rate_limited
from traceability import scanpage
from traceability.digital_link import (
    DigitalLink,
    InvalidDigitalLink,
    absolute,
    digital_link_path,
    parse_digital_link,
)
from traceability.models import Batch
from traceability.reports import submit_report
from traceability.services import (
    attach_scan_location,
    public_batch_by_short_code,
    public_batches,
    public_product_pages,
    record_scan,
)

LINKSET_TYPE = "application/linkset+json"
GS1_VOC = "https://gs1.org/voc/"
SCAN_PAGE_CACHE = {"public": True, "max_age": 60, "s_maxage": 300, "stale_while_revalidate": 600}


# --- Errors ---------------------------------------------------------------------------------


def error_page(request: HttpRequest, status: int, message: str) -> HttpResponse:
    language = translation.get_language_from_request(request)
    with translation.override(language):
        response = render(
            request,
            "traceability/error.html",
            {"status": status, "message": message, "home_url": f"/{language}/"},
            status=status,
        )
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


def _language(request: HttpRequest) -> str:
    return translation.get_language_from_request(request) or settings.LANGUAGE_CODE


def _no_store(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    return response


# --- The GS1 Digital Link resolver ----------------------------------------------------------


def _split_decoded(path: str) -> tuple[str, str, str] | None:
    """Split a decoded `/01/<gtin>[/10/<lot>][/21/<serial>]` (the lot may contain '/')."""
    if not path.startswith("/01/"):
        return None
    gtin, _sep, rest = path[4:].partition("/")
    rest = rest.rstrip("/")
    lot = serial = ""
    if rest.startswith("10/"):
        lot, _sep, serial = (
            rest[3:].rpartition("/21/") if "/21/" in rest[3:] else (rest[3:], "", "")
        )
    elif rest.startswith("21/"):
        serial = rest[3:]
    elif rest:
        return None
    return gtin, lot, serial


def _parse(request: HttpRequest) -> DigitalLink:
    """Parse the request path. Servers that pass the raw (still percent-encoded) URI on
    (gunicorn's RAW_URI) are parsed from it, so an encoded "/" in a lot stays one segment;
    otherwise the decoded path is split and re-encoded."""
    raw = request.META.get("RAW_URI") or request.META.get("REQUEST_URI")
    if raw and raw.startswith("/01/"):
        return parse_digital_link(raw.split("?", 1)[0].rstrip("/"))
    parts = _split_decoded(request.path)
    if parts is None:
        raise InvalidDigitalLink(_("The path must be /01/<GTIN>[/10/<lot>][/21/<serial>]."))
    gtin, lot, serial = parts
    if not gtin.isdigit() or len(gtin) not in (8, 12, 13, 14):
        raise InvalidDigitalLink(_("A GTIN has 8, 12, 13 or 14 digits."))
    return parse_digital_link(digital_link_path(gtin, lot, serial))


def gtin_candidates(gtin14: str) -> list[str]:
    """The ways a GTIN-14 may have been stored (as entered: GTIN-8, 12, 13 or 14)."""
    return [gtin14[14 - n :] for n in (8, 12, 13, 14) if set(gtin14[: 14 - n]) <= {"0"}]


def _variants(gtin14: str):
    return ProductVariant.objects.filter(
        gtin__in=gtin_candidates(gtin14),
        page__locale__language_code=settings.LANGUAGE_CODE,
    ).select_related("page")


def _wants_linkset(request: HttpRequest) -> bool:
    return request.GET.get("linkType") in ("all", "linkset") or LINKSET_TYPE in request.headers.get(
        "Accept", ""
    )


def _page_in(page, language: str):
    """The product page in the visitor's language (the English tree holds aliases)."""
    if page.locale.language_code == language:
        return page
    from wagtail.models import Locale

    locale = Locale.objects.filter(language_code=language).first()
    translated = page.get_translation_or_none(locale) if locale else None
    return translated if translated is not None and translated.live else page


def scan_url(batch: Batch, language: str, serial: str = "") -> str:
    with translation.override(language):
        if serial:
            return reverse("traceability_pages:serial", args=[batch.short_code, serial])
        return reverse("traceability_pages:scan", args=[batch.short_code])


def _link(href: str, title: str, language: str | None = None, kind: str = "text/html") -> dict:
    link: dict[str, Any] = {"href": href, "title": title, "type": kind}
    if language:
        link["hreflang"] = [language]
    return link


def _linkset(anchor: str, links: dict[str, list[dict]]) -> HttpResponse:
    body = {"linkset": [{"anchor": anchor, **{GS1_VOC + k: v for k, v in links.items()}}]}
    response = HttpResponse(json.dumps(body, ensure_ascii=False), content_type=LINKSET_TYPE)
    response["Link"] = f'<{anchor}>; rel="owl:sameAs"'
    return response


def _product_links(page) -> dict[str, list[dict]]:
    pip = []
    for code, _name in settings.LANGUAGES:
        translated = _page_in(page, code)
        if translated.locale.language_code == code:
            pip.append(_link(absolute(translated.url or ""), translated.title, code))
    return {
        "pip": pip,
        "certificationInfo": [
            _link(absolute((page.url or "") + "#cert-heading"), _("OCOP certificate"))
        ],
    }


def _batch_links(batch: Batch, serial: str = "") -> dict[str, list[dict]]:
    page = batch.variant.page
    links = _product_links(page)
    links["traceability"] = [
        _link(absolute(scan_url(batch, code, serial)), _("Traceability"), code)
        for code, _name in settings.LANGUAGES
    ]
    links["certificationInfo"] = [
        _link(
            absolute(scan_url(batch, settings.LANGUAGE_CODE) + "#chung-nhan"),
            _("OCOP certificate and growing-area standards"),
        )
    ]
    links["epcis"] = [
        _link(
            absolute(reverse("traceability:epcis", args=[batch.short_code])),
            "EPCIS 2.0",
            kind="application/ld+json",
        )
    ]
    links["defaultLink"] = [links["traceability"][0]]
    return links


@require_safe
def resolve_digital_link(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Resolve `/01/<gtin>[/10/<lot>[/21/<serial>]]` for our own products."""
    try:
        link = _parse(request)
    except InvalidDigitalLink as exc:
        return error_page(
            request, 400, _("This code is not a valid GS1 Digital Link: %(error)s") % {"error": exc}
        )
    variants = list(_variants(link.gtin14).filter(page__in=public_product_pages().values("pk")))
    if not variants:
        return error_page(request, 404, _("We know no product with this barcode (GTIN)."))
    language = _language(request)
    anchor = absolute(link.path)
    pagecache.cacheable(request, *(pagecache.page_tag(v.page.translation_key) for v in variants))

    if not link.lot and not link.serial:
        page = variants[0].page
        if _wants_linkset(request):
            links = _product_links(page)
            links["defaultLink"] = links["pip"][:1]
            return _cacheable(_linkset(anchor, links))
        return _cacheable(_redirect(_page_in(page, language).url, request))

    batches = public_batches().filter(variant__in=variants).select_related("variant__page")
    batch = batches.filter(lot_code=link.lot).first() if link.lot else None
    if batch is None and link.serial:
        batch = batches.filter(serials__serial=link.serial).first()
    if batch is None:
        return error_page(request, 404, _("We know no batch with this lot number."))
    pagecache.tag(request, pagecache.batch_tag(batch.pk))
    if _wants_linkset(request):
        response = _linkset(anchor, _batch_links(batch, link.serial))
        return _no_store(response) if link.serial else _cacheable(response)
    target = scan_url(batch, language, link.serial)
    if link.serial:
        return _no_store(_redirect(target, request))
    return _cacheable(_redirect(target, request))


def _redirect(url: str, request: HttpRequest) -> HttpResponse:
    response = redirect(url)
    response.status_code = 307
    patch_vary_headers(response, ["Accept", "Accept-Language"])
    return response


def _cacheable(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=300)
    patch_vary_headers(response, ["Accept", "Accept-Language"])
    return response


@require_safe
def resolve_short_code(request: HttpRequest, code: str, serial: str = "") -> HttpResponse:
    batch = public_batch_by_short_code(code)
    if batch is None:
        return error_page(request, 404, _("We know no product with this code."))
    pagecache.cacheable(request, pagecache.batch_tag(batch.pk))
    target = scan_url(batch, _language(request), serial)
    if serial:
        return _no_store(_redirect(target, request))
    return _cacheable(_redirect(target, request))


@require_safe
def resolver_description(request: HttpRequest) -> JsonResponse:
    """The resolver's description (GS1-Conformant Resolver standard, `/.well-known/gs1resolver`)."""
    pagecache.cacheable(request)
    return JsonResponse(
        {
            "name": settings.WAGTAIL_SITE_NAME,
            "resolverRoot": settings.SITE_URL,
            "supportedPrimaryKeys": ["01"],
            "supportedQualifiers": ["10", "21"],
            "supportedLinkType": [
                {"namespace": GS1_VOC, "prefix": "gs1:", "profile": GS1_VOC + t}
                for t in ("pip", "traceability", "certificationInfo", "epcis", "defaultLink")
            ],
            "linkTypeDefaultCanBeLinkset": False,
            "linksetMediaType": LINKSET_TYPE,
            "supportedLanguages": [code for code, _n in settings.LANGUAGES],
            "validatesDigitalLinkURISyntax": True,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
def epcis_document(request: HttpRequest, code: str) -> HttpResponse:
    from traceability.epcis import batch_epcis_document

    batch = public_batch_by_short_code(code)
    if batch is None:
        return error_page(request, 404, _("We know no product with this code."))
    response = HttpResponse(
        json.dumps(batch_epcis_document(batch), ensure_ascii=False),
        content_type="application/ld+json",
    )
    patch_cache_control(response, public=True, max_age=300)
    return response


# --- The scan page --------------------------------------------------------------------------


def _anonymous(request: HttpRequest) -> None:
    """Render the page identically for everyone, without loading the session."""
    request.user = AnonymousUser()


@require_safe
def scan_page(request: HttpRequest, code: str) -> HttpResponse:
    _anonymous(request)
    context = scanpage.build_context(request, code)
    if context is None:
        return error_page(request, 404, _("We know no product with this code."))
    pagecache.cacheable(request)  # build_context tagged what the page shows
    context["report_url"] = reverse("traceability_pages:report", args=[code])
    response = render(request, "traceability/scan.html", context)
    patch_cache_control(response, **SCAN_PAGE_CACHE)
    return response


class ProblemReportForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("What is wrong?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    contact = forms.CharField(
        label=gettext_lazy("Phone or e-mail, if you want an answer (optional)"),
        max_length=200,
        required=False,
    )
    serial = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)


@require_http_methods(["GET", "POST"])
def serial_page(request: HttpRequest, code: str, serial: str) -> HttpResponse:
    if request.method == "POST":
        return report(request, code)
    context = scanpage.build_context(request, code)
    if context is None:
        return _no_store(error_page(request, 404, _("We know no product with this code.")))
    batch = context["batch"]
    result = record_scan(
        batch,
        serial,
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
        latitude=request.GET.get("lat"),
        longitude=request.GET.get("lon"),
    )
    context.update(
        scan=result,
        serial=serial,
        form=ProblemReportForm(initial={"serial": serial}),
        report_action=request.path,
        location_token=signing.dumps(result.scan_id, salt=LOCATION_SALT) if result.scan_id else "",
        location_action=reverse("traceability_pages:share_location", args=[code, serial]),
    )
    response = render(
        request, "traceability/scan.html", context, status=404 if result.serial is None else 200
    )
    return _no_store(response)


@require_http_methods(["GET", "POST"])
@rate_limited("report")
def report(request: HttpRequest, code: str) -> HttpResponse:
    batch = public_batch_by_short_code(code)
    if batch is None:
        return _no_store(error_page(request, 404, _("We know no product with this code.")))
    form = ProblemReportForm(request.POST or None)
    sent = False
    follow_url = ""
    if request.method == "POST" and form.is_valid():
        created = submit_report(
            batch,
            form.cleaned_data["message"],
            form.cleaned_data["contact"],
            form.cleaned_data["serial"],
        )
        sent = True
        follow_url = request.build_absolute_uri(created.get_absolute_url())
        form = ProblemReportForm()
    response = render(
        request,
        "traceability/report.html",
        {
            "batch": batch,
            "form": form,
            "sent": sent,
            "follow_url": follow_url,
            "scan_url": reverse("traceability_pages:scan", args=[batch.short_code]),
        },
        status=400 if request.method == "POST" and not sent else 200,
    )
    return _no_store(response)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    raise Http404


LOCATION_SALT = "traceability.scan-location"


class ShareLocationForm(forms.Form):
    token = forms.CharField(max_length=200)
    lat = forms.DecimalField(min_value=-90, max_value=90, decimal_places=6, max_digits=9)
    lon = forms.DecimalField(min_value=-180, max_value=180, decimal_places=6, max_digits=10)


@require_http_methods(["POST"])
def share_location(request: HttpRequest, code: str, serial: str) -> HttpResponse:
    """The consumer pressed "Share where I am": attach it to their scan of this unit."""
    form = ShareLocationForm(request.POST)
    shared = False
    if form.is_valid():
        try:
            scan_id = signing.loads(form.cleaned_data["token"], salt=LOCATION_SALT, max_age=3600)
        except signing.BadSignature:
            scan_id = None
        if scan_id is not None:
            shared = attach_scan_location(
                scan_id, form.cleaned_data["lat"], form.cleaned_data["lon"]
            )
    response = render(
        request,
        "traceability/location_shared.html",
        {"shared": shared, "back_url": reverse("traceability_pages:scan", args=[code])},
        status=200 if shared else 400,
    )
    return _no_store(response)

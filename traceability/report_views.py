"""The reporter's private follow-up page of a problem report, found by its unguessable token."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from traceability.models import ProblemReport


@require_safe
def report_status(request: HttpRequest, token: str) -> HttpResponse:
    """Status and answer of one report; never cached, never indexed, no referrer leaks it."""
    report = (
        ProblemReport.objects.select_related("batch__variant__page").filter(token=token).first()
        if 20 <= len(token) <= 64
        else None
    )
    if report is None:
        raise Http404
    response = render(
        request,
        "traceability/report_status.html",
        {"report": report, "batch": report.batch, "product": report.batch.variant.page},
    )
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response

"""Admin views beyond create/edit: QR and label downloads, serials, scans, status, EPCIS.

Every view looks its batch up through `scope_queryset`, so another producer's batch is a 404
exactly like in the viewsets' own views.
"""

from __future__ import annotations

import io
import json
import zipfile

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from catalog.models import ProductPage
from catalog.permissions import scope_queryset
from traceability import qr
from traceability.label_sizes import DEFAULT_SIZE, LABEL_SIZES, LabelDoesNotFit
from traceability.models import Batch, BatchStatus
from traceability.services import (
    InvalidBatchTransition,
    generate_serials,
    scan_summary,
    set_batch_status,
)

BATCH_SCOPE = "variant__page__producer"
URL_NAMES = {
    "qr": "qr",
    "labels": "labels",
    "serials": "serials",
    "status": "status",
    "epcis": "epcis",
}


def batch_url(name: str, batch: Batch, fmt: str | None = None) -> str:
    args = [batch.pk, fmt] if fmt else [batch.pk]
    return reverse(f"traceability_batch:{URL_NAMES[name]}", args=args)


def _batch(request, pk: int, action: str = "view") -> Batch:
    if not request.user.has_perm(f"traceability.{action}_batch"):
        raise PermissionDenied
    queryset = scope_queryset(Batch.objects.all(), request.user, BATCH_SCOPE)
    return get_object_or_404(
        queryset.select_related("variant__page__producer", "variant__page__locale"), pk=pk
    )


def _qr_options(request) -> tuple[str, int]:
    ec = request.GET.get("ec", qr.DEFAULT_ERROR_CORRECTION).upper()
    if ec not in qr.ERROR_CORRECTION:
        ec = qr.DEFAULT_ERROR_CORRECTION
    try:
        quiet = min(max(int(request.GET.get("quiet", qr.DEFAULT_QUIET_ZONE)), 0), 20)
    except ValueError:
        quiet = qr.DEFAULT_QUIET_ZONE
    return ec, quiet


def batch_qr(request, pk: int, fmt: str):
    batch = _batch(request, pk)
    if fmt not in ("png", "svg"):
        raise Http404
    ec, quiet = _qr_options(request)
    content, content_type = qr.render(qr.batch_uri(batch), fmt, ec, quiet)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="qr-{batch.short_code}.{fmt}"'
    return response


def product_qr(request, pk: int, fmt: str):
    if not request.user.has_perm("traceability.view_batch"):
        raise PermissionDenied
    pages = scope_queryset(ProductPage.objects.all(), request.user, "producer")
    page = get_object_or_404(pages, pk=pk)
    gtins = [v.gtin for v in page.source.variants.all() if v.gtin]
    if fmt not in ("png", "svg") or not gtins:
        raise Http404(_("This product has no GTIN: download a batch's QR code instead."))
    ec, quiet = _qr_options(request)
    content, content_type = qr.render(qr.product_uri(gtins[0]), fmt, ec, quiet)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="qr-{gtins[0]}.{fmt}"'
    return response


class LabelForm(forms.Form):
    size = forms.ChoiceField(
        label=gettext_lazy("Label size"),
        choices=[(k, s.title) for k, s in LABEL_SIZES.items()],
        initial=DEFAULT_SIZE,
    )
    content = forms.ChoiceField(
        label=gettext_lazy("Codes"),
        choices=[
            ("batch", gettext_lazy("The batch's code on every label")),
            ("serials", gettext_lazy("One per-unit serial per label")),
        ],
        initial="batch",
    )
    copies = forms.IntegerField(
        label=gettext_lazy("Copies (batch code)"), min_value=1, max_value=5000, initial=24
    )


def batch_labels(request, pk: int):
    batch = _batch(request, pk)
    form = LabelForm(request.GET or None)
    if form.is_valid():
        from traceability.labels import write_labels  # reportlab: only when a sheet is drawn

        serials = None
        if form.cleaned_data["content"] == "serials":
            serials = list(batch.serials.values_list("serial", flat=True))
        buffer = io.BytesIO()
        try:
            write_labels(
                batch,
                buffer,
                serials=serials,
                size=form.cleaned_data["size"],
                copies=form.cleaned_data["copies"],
            )
        except LabelDoesNotFit as exc:  # no field is ever cut: say which size to pick
            form.add_error("size", str(exc))
        else:
            buffer.seek(0)
            return FileResponse(
                buffer,
                as_attachment=True,
                filename=f"labels-{batch.short_code}.pdf",
                content_type="application/pdf",
            )
    return TemplateResponse(
        request,
        "traceability/admin/labels.html",
        {"batch": batch, "form": form, "header_title": _("Labels")},
    )


class GenerateSerialsForm(forms.Form):
    count = forms.IntegerField(
        label=gettext_lazy("How many new serials"), min_value=1, max_value=20_000, initial=100
    )


@require_http_methods(["GET", "POST"])
def batch_serials(request, pk: int):
    batch = _batch(request, pk)
    form = GenerateSerialsForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("traceability.change_batch"):
            raise PermissionDenied
        if form.is_valid():
            created = generate_serials(batch, form.cleaned_data["count"])
            messages.success(request, _("%(count)d serials generated.") % {"count": len(created)})
            return redirect(batch_url("serials", batch))
    return TemplateResponse(
        request,
        "traceability/admin/serials.html",
        {
            "batch": batch,
            "form": form,
            "summary": scan_summary(batch),
            "zip_url": reverse("traceability_batch:serials_zip", args=[batch.pk]),
            "labels_url": batch_url("labels", batch) + "?content=serials&size=a4-40&copies=1",
            "header_title": _("Serials and scans"),
        },
    )


def batch_serials_zip(request, pk: int):
    """A zip of one SVG per serial plus a CSV of serials and their URIs, built as it streams."""
    batch = _batch(request, pk)
    serials = list(batch.serials.values_list("serial", flat=True))
    fmt = "png" if request.GET.get("format") == "png" else "svg"
    ec, quiet = _qr_options(request)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        lines = ["serial,uri"]
        for serial in serials:
            uri = qr.batch_uri(batch, serial)
            lines.append(f"{serial},{uri}")
            content, _type = qr.render(uri, fmt, ec, quiet, fast=True)
            archive.writestr(f"{serial}.{fmt}", content)
        archive.writestr("serials.csv", "\n".join(lines) + "\n")
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=f"serials-{batch.short_code}.zip",
        content_type="application/zip",
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("New status"), choices=BatchStatus.choices)
    reason = forms.CharField(
        label=gettext_lazy("Reason (shown to consumers)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@require_http_methods(["GET", "POST"])
def batch_status(request, pk: int):
    batch = _batch(request, pk, "view")
    form = StatusForm(request.POST or None, initial={"status": batch.status})
    if request.method == "POST":
        if not request.user.has_perm("traceability.change_batch"):
            raise PermissionDenied
        if form.is_valid():
            try:
                set_batch_status(
                    batch, form.cleaned_data["status"], form.cleaned_data["reason"], request.user
                )
            except InvalidBatchTransition:
                form.add_error(
                    "status",
                    _("The batch cannot change to this status (a recall needs a reason)."),
                )
            else:
                messages.success(request, _("The batch's status was changed."))
                return redirect(batch_url("status", batch))
    return TemplateResponse(
        request,
        "traceability/admin/status.html",
        {
            "batch": batch,
            "form": form,
            "history": batch.status_events.select_related("user"),
            "header_title": _("Batch status"),
        },
    )


def batch_epcis(request, pk: int):
    from traceability.epcis import batch_epcis_document

    batch = _batch(request, pk)
    document = batch_epcis_document(batch)
    response = StreamingHttpResponse(
        [json.dumps(document, ensure_ascii=False, indent=2)],
        content_type="application/ld+json",
    )
    response["Content-Disposition"] = f'attachment; filename="epcis-{batch.short_code}.jsonld"'
    return response

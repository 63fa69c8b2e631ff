"""Admin for traceability: growing areas, batches, trace events and problem reports.

Every viewset is a `ProducerScopedViewSet` (each model's `ProducerPermissionPolicy`): a
cooperative's editors see and reach only their own rows (anything else is a 404), officers
see all.
"""

from __future__ import annotations

from django import forms
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets.button import HeaderButton

from catalog.permissions import (
    ProducerScopedViewMixin,
    ProducerScopedViewSet,
    ScopedCreateView,
    ScopedIndexView,
    ScopedInspectView,
    register_producer_policy,
)
from cms.admin_views import ServiceEditView
from traceability import admin_views
from traceability.models import (
    Batch,
    BatchStatusEvent,
    GrowingArea,
    ProblemReport,
    ProblemReportStatus,
    TraceEvent,
)
from traceability.permissions import AppendOnlyPermissionPolicy, ReportPermissionPolicy
from traceability.reports import (
    REPORT_TRANSITIONS,
    IllegalReportTransition,
    ReportAnswerMissing,
    set_report_status,
)

register_producer_policy(TraceEvent, AppendOnlyPermissionPolicy)
register_producer_policy(BatchStatusEvent, AppendOnlyPermissionPolicy)
register_producer_policy(ProblemReport, ReportPermissionPolicy)


class GrowingAreaViewSet(ProducerScopedViewSet):
    url_prefix = "traceability/growingarea"
    url_namespace = "traceability_growingarea"
    model = GrowingArea
    icon = "site"
    menu_label = _("Growing areas")
    list_display = ["code", "name", "crops", "area_ha", "province_name"]
    list_filter = ["province_code"]
    search_fields = ["code", "name", "crops"]
    inspect_view_enabled = True
    copy_view_enabled = False


class BatchIndexView(ScopedIndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        from wagtail.admin.widgets.button import MenuItem

        buttons += [
            MenuItem(
                _("QR code (PNG)"),
                url=admin_views.batch_url("qr", instance, "png"),
                icon_name="download",
                priority=40,
            ),
            MenuItem(
                _("Labels (PDF)"),
                url=admin_views.batch_url("labels", instance),
                icon_name="doc-full",
                priority=41,
            ),
            MenuItem(
                _("Serials and scans"),
                url=admin_views.batch_url("serials", instance),
                icon_name="key",
                priority=42,
            ),
            MenuItem(
                _("Status"),
                url=admin_views.batch_url("status", instance),
                icon_name="warning",
                priority=43,
            ),
            MenuItem(
                _("EPCIS export"),
                url=admin_views.batch_url("epcis", instance),
                icon_name="code",
                priority=44,
            ),
        ]
        return buttons


class BatchInspectView(ScopedInspectView):
    def get_header_more_buttons(self):
        return []

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        for label, name, fmt in [
            (_("QR code (PNG)"), "qr", "png"),
            (_("QR code (SVG)"), "qr", "svg"),
            (_("Labels (PDF)"), "labels", None),
            (_("Serials and scans"), "serials", None),
            (_("Status"), "status", None),
            (_("EPCIS export"), "epcis", None),
        ]:
            buttons.append(
                HeaderButton(
                    label, url=admin_views.batch_url(name, self.object, fmt), icon_name="download"
                )
            )
        return buttons


class BatchViewSet(ProducerScopedViewSet):
    url_prefix = "traceability/batch"
    url_namespace = "traceability_batch"
    model = Batch
    icon = "tasks"
    menu_label = _("Batches")
    list_display = ["lot_code", "variant", "short_code", "harvested_on", "expires_on", "status"]
    list_filter = ["status"]
    search_fields = ["lot_code", "short_code"]
    inspect_view_enabled = True
    copy_view_enabled = False
    index_view_class = BatchIndexView
    inspect_view_class = BatchInspectView
    inspect_view_fields = [
        "variant",
        "lot_code",
        "short_code",
        "harvested_on",
        "packed_on",
        "expires_on",
        "quantity",
        "unit",
        "status",
        "status_reason",
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/qr.<str:fmt>", admin_views.batch_qr, name="qr"),
            path("<int:pk>/labels/", admin_views.batch_labels, name="labels"),
            path("<int:pk>/serials/", admin_views.batch_serials, name="serials"),
            path("<int:pk>/serials.zip", admin_views.batch_serials_zip, name="serials_zip"),
            path("<int:pk>/status/", admin_views.batch_status, name="status"),
            path("<int:pk>/epcis.jsonld", admin_views.batch_epcis, name="epcis"),
        ]


class TraceEventCreateView(ScopedCreateView):
    def save_instance(self):
        instance = self.form.save(commit=False)
        instance.recorded_by = self.request.user
        instance.save()
        self.form.save_m2m() if hasattr(self.form, "save_m2m") else None
        return instance


class TraceEventViewSet(ProducerScopedViewSet):
    url_prefix = "traceability/traceevent"
    url_namespace = "traceability_traceevent"
    model = TraceEvent
    icon = "history"
    menu_label = _("Trace events")
    list_display = ["batch", "kind", "occurred_at", "place", "actor", "corrects"]
    list_filter = ["kind"]
    search_fields = ["place", "actor", "description"]
    inspect_view_enabled = True
    copy_view_enabled = False
    add_view_class = TraceEventCreateView


class ProblemReportForm(WagtailAdminModelForm):
    """Officers and the producer answer a report and move its status; the reporter's own words
    (message, contact) are shown, never edited."""

    class Meta:
        model = ProblemReport
        fields = ["status", "answer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.status
        allowed = {current, *REPORT_TRANSITIONS.get(current, frozenset())}
        self.fields["status"].choices = [
            (value, label) for value, label in ProblemReportStatus.choices if value in allowed
        ]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == ProblemReportStatus.ANSWERED
            and not (cleaned.get("answer") or "").strip()
        ):
            self.add_error("answer", ReportAnswerMissing().message)
        return cleaned


class ProblemReportEditView(ProducerScopedViewMixin, ServiceEditView):
    def save_instance(self):
        data = self.form.cleaned_data
        try:
            return set_report_status(
                self.form.instance,
                data["status"],
                user=self.request.user,
                answer=data.get("answer", ""),
            )
        except (IllegalReportTransition, ReportAnswerMissing) as exc:
            raise forms.ValidationError(exc.message) from exc


class ProblemReportViewSet(ProducerScopedViewSet):
    url_prefix = "traceability/problemreport"
    url_namespace = "traceability_problemreport"
    model = ProblemReport
    icon = "warning"
    menu_label = _("Problem reports")
    list_display = ["batch", "message", "status", "created_at"]
    list_filter = ["status"]
    inspect_view_enabled = True
    copy_view_enabled = False
    edit_view_class = ProblemReportEditView
    inspect_view_fields = [
        "batch",
        "serial",
        "message",
        "contact",
        "created_at",
        "status",
        "answer",
    ]

    def get_form_class(self, for_update=False):
        return ProblemReportForm


class TraceabilityViewSetGroup(ViewSetGroup):
    menu_label = _("Traceability")
    menu_icon = "tasks"
    menu_order = 210
    items = (GrowingAreaViewSet, BatchViewSet, TraceEventViewSet, ProblemReportViewSet)


@hooks.register("register_admin_viewset")
def register_traceability_viewsets():
    return TraceabilityViewSetGroup()


@hooks.register("register_admin_urls")
def register_traceability_admin_urls():
    return [
        path(
            "traceability/product/<int:pk>/qr.<str:fmt>",
            admin_views.product_qr,
            name="traceability_product_qr",
        ),
    ]

"""Admin for the catalogue: producers, certificates and the OCOP reference data."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from catalog import admin_publishing, admin_views  # noqa: F401 (admin_publishing: hooks)
from catalog.models import Certificate, CriteriaSet, OcopGroup, Producer
from catalog.permissions import ProducerScopedViewSet, is_officer, own_pages_q


class ProducerViewSet(ProducerScopedViewSet):
    model = Producer
    icon = "group"
    menu_label = _("Producers")
    list_display = ["name", "kind", "tax_code", "province_name"]
    list_filter = ["kind", "province_code"]
    search_fields = ["name", "short_name", "tax_code"]
    add_view_class = admin_views.ProducerCreateView


class CertificateViewSet(ProducerScopedViewSet):
    model = Certificate
    icon = "success"
    menu_label = _("OCOP certificates")
    list_display = ["product", "stars", "total_score", "decision_number", "expires_on", "status"]
    list_filter = ["stars", "issuing_level", "criteria_set"]
    search_fields = ["decision_number", "issuing_body"]
    inspect_view_enabled = True
    add_view_class = admin_views.CertificateCreateView
    edit_view_class = admin_views.CertificateEditView

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("revoke/<int:pk>/", admin_views.revoke_certificate_view, name="revoke"),
        ]


class CriteriaSetViewSet(ModelViewSet):
    model = CriteriaSet
    icon = "list-ol"
    menu_label = _("Criteria sets")
    list_display = ["code", "decision", "effective_from"]
    form_fields = [
        "code",
        "title",
        "decision",
        "effective_from",
        "max_a",
        "max_b",
        "max_c",
        "star_bands",
        "recognising_levels",
        "validity_months",
        "group_scheme",
    ]


class OcopGroupViewSet(ModelViewSet):
    model = OcopGroup
    icon = "folder-open-inverse"
    menu_label = _("OCOP groups")
    list_display = ["code", "name", "name_en", "scheme"]
    list_filter = ["scheme"]
    form_fields = ["code", "scheme", "parent", "name", "name_en", "slug", "depth"]


class CatalogViewSetGroup(ViewSetGroup):
    menu_label = _("OCOP")
    menu_icon = "pick"
    menu_order = 200
    items = (ProducerViewSet, CertificateViewSet, CriteriaSetViewSet, OcopGroupViewSet)


@hooks.register("register_admin_viewset")
def register_catalog_viewsets():
    return CatalogViewSetGroup()


@hooks.register("construct_page_chooser_queryset")
def page_chooser_shows_own_pages(pages, request):
    """An editor chooses among their producers' pages (and the ancestors leading to them)."""
    if is_officer(request.user):
        return pages
    return pages.filter(own_pages_q(request.user))

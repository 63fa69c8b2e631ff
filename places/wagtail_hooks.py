from __future__ import annotations

from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from places.models import SalesPoint


class SalesPointViewSet(ModelViewSet):
    """Officer-only: editors of producers hold no permission on sales points (a 403)."""

    model = SalesPoint
    icon = "site"
    menu_label = gettext_lazy("Sales points")
    menu_order = 220
    add_to_admin_menu = True
    url_prefix = "places/sales-points"
    url_namespace = "places_sales_points"
    list_display = ["name", "kind", "province_name", "is_active"]
    list_filter = ["kind", "province_code", "is_active"]
    search_fields = ["name", "street_address"]
    inspect_view_enabled = True


@hooks.register("register_admin_viewset")
def register_sales_points():
    return SalesPointViewSet()

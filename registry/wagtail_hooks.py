"""Admin: officers keep the programme targets (national and per province)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from registry.models import ProgrammeTarget


class ProgrammeTargetViewSet(ModelViewSet):
    model = ProgrammeTarget
    icon = "tasks"
    menu_label = _("Programme targets")
    add_to_admin_menu = True
    menu_order = 210
    list_display = ["scope_name", "metric", "target_value", "period_start", "period_end"]
    list_filter = ["metric", "province_code"]
    form_fields = [
        "province_code",
        "metric",
        "target_value",
        "period_start",
        "period_end",
        "source",
    ]


@hooks.register("register_admin_viewset")
def register_target_viewset():
    return ProgrammeTargetViewSet("programme_targets")

"""Admin menu and URLs of the OCOP evaluation."""

from __future__ import annotations

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from evaluation import admin_urls


@hooks.register("register_admin_urls")
def register_evaluation_urls():
    return [path("evaluation/", include(admin_urls, namespace="evaluation"))]


class EvaluationMenuItem(MenuItem):
    def is_shown(self, request):
        from catalog.permissions import is_officer, producers_for
        from evaluation.models import CouncilRound

        user = request.user
        return (
            is_officer(user)
            or producers_for(user).exists()
            or CouncilRound.objects.filter(members=user).exists()
        )


@hooks.register("register_admin_menu_item")
def register_evaluation_menu_item():
    return EvaluationMenuItem(
        _("OCOP evaluation"), reverse_lazy("evaluation:index"), icon_name="form", order=210
    )

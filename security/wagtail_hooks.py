from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from catalog.permissions import is_officer
from security import admin_views


@hooks.register("register_admin_urls")
def register_security_urls():
    return [
        path(
            "security/sign-in-locks/",
            admin_views.sign_in_locks_view,
            name="security_sign_in_locks",
        )
    ]


class OfficerMenuItem(MenuItem):
    def is_shown(self, request):
        return is_officer(request.user)


@hooks.register("register_settings_menu_item")
def register_sign_in_locks_menu_item():
    return OfficerMenuItem(
        _("Sign-in locks"),
        reverse("security_sign_in_locks"),
        icon_name="lock",
        order=900,
    )

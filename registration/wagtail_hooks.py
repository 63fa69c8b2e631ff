"""Officers' list of producer registrations and the verify/reject page (officers only: no
producer's editor ever sees an application)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import MenuItem
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from catalog.scoping import OFFICERS_GROUP, is_officer
from registration import admin_views
from registration.models import ProducerRequest


class OfficersOnlyPolicy(ModelPermissionPolicy):
    """Officers view applications; nobody adds, edits or deletes them in the admin (the status
    moves through registration.services on the decide page)."""

    def user_has_permission(self, user, action):
        return action in {"view", "inspect"} and is_officer(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        if not set(actions) & {"view", "inspect"}:
            return get_user_model().objects.none()
        return (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(groups__name=OFFICERS_GROUP), is_active=True)
            .distinct()
        )


register_permission_policy(ProducerRequest, OfficersOnlyPolicy(ProducerRequest))


class ProducerRequestIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        return [
            MenuItem(
                _("Verify or reject"),
                url=reverse("registration_decide", args=[instance.pk]),
                icon_name="check",
                priority=10,
            ),
            *super().get_list_more_buttons(instance),
        ]


class ProducerRequestViewSet(ModelViewSet):
    model = ProducerRequest
    index_view_class = ProducerRequestIndexView
    url_prefix = "registration/request"
    url_namespace = "registration_request"
    icon = "form"
    menu_label = _("Producer registrations")
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["name", "tax_code", "kind", "province_name", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "tax_code", "email"]
    form_fields = ["reason"]  # no one may add or edit (OfficersOnlyPolicy): decide page only
    inspect_view_enabled = True
    # Never the token: it is the applicant's private link.
    inspect_view_fields = [
        "name",
        "kind",
        "tax_code",
        "province_code",
        "ward_code",
        "street_address",
        "contact_name",
        "phone",
        "email",
        "language",
        "status",
        "reason",
        "producer",
        "created_at",
        "decided_at",
        "decided_by",
    ]
    copy_view_enabled = False

    def get_queryset(self, request):
        queryset = ProducerRequest.objects.all()
        return queryset if is_officer(request.user) else queryset.none()


@hooks.register("register_admin_viewset")
def register_producer_request_viewset():
    return ProducerRequestViewSet("registration_request")


@hooks.register("register_admin_urls")
def register_decide_url():
    return [
        path(
            "registration/request/<int:pk>/decide/",
            admin_views.decide_view,
            name="registration_decide",
        )
    ]

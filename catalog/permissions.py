"""Per-producer scoping of admin data, enforced on the server.

Officers (superusers and members of "OCOP officers") see every row. A producer's editors see
only rows whose `producer_field` path leads to a producer whose editors' group they belong to;
any other row is a 404 on every admin URL (index, edit, delete, inspect, history, usage, copy).

Use `ProducerScopedViewSet` for any model that belongs to a producer:

    class BatchViewSet(ProducerScopedViewSet):
        model = Batch
        producer_field = "variant__page__producer"   # a lookup path to catalog.Producer
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import Group, Permission
from django.db import models
from django.http import Http404
from wagtail.admin.viewsets.model import ModelViewSet

from catalog.models import Producer

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

OFFICERS_GROUP = "OCOP officers"
PRODUCER_EDITORS_GROUP = "Producer editors"


def permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def grant(group_name: str, perms: Iterable[tuple[str, str]]) -> Group:
    """Give a group (created if missing) model permissions; fail loudly on an unknown one."""
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.add(*(permission(app_label, codename) for app_label, codename in perms))
    return group


def is_officer(user: AbstractUser) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_ocop_is_officer", None)
    if cached is None:
        cached = user.groups.filter(name=OFFICERS_GROUP).exists()
        user._ocop_is_officer = cached
    return cached


def producers_for(user: AbstractUser) -> models.QuerySet[Producer]:
    """Producers the user may act for: all for officers, their own for producer editors."""
    if is_officer(user):
        return Producer.objects.all()
    if not user.is_authenticated:
        return Producer.objects.none()
    return Producer.objects.filter(editors_group__user=user)


def scope_queryset(
    queryset: models.QuerySet, user: AbstractUser, producer_field: str = "producer"
) -> models.QuerySet:
    if is_officer(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    prefix = "" if producer_field == "pk" else f"{producer_field}__"
    return queryset.filter(**{f"{prefix}editors_group__user": user}).distinct()


def user_may_access(instance: models.Model, user: AbstractUser, producer_field: str) -> bool:
    if is_officer(user):
        return True
    return scope_queryset(
        type(instance)._default_manager.filter(pk=instance.pk), user, producer_field
    ).exists()


class _ScopedViewMixin:
    producer_field = "producer"

    def get_base_queryset(self):
        return scope_queryset(super().get_base_queryset(), self.request.user, self.producer_field)

    def get_object(self, *args: Any, **kwargs: Any):
        obj = super().get_object(*args, **kwargs)
        if obj is not None and not user_may_access(obj, self.request.user, self.producer_field):
            raise Http404
        return obj

    def get_form(self, *args: Any, **kwargs: Any):
        form = super().get_form(*args, **kwargs)
        limit_producer_choices(form, self.request.user)
        return form


def limit_producer_choices(form, user: AbstractUser) -> None:
    """Offer only the user's own producers (and rows of theirs) in foreign-key fields."""
    if is_officer(user):
        return
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is None:
            continue
        model = queryset.model
        if model is Producer:
            field.queryset = producers_for(user)
        elif hasattr(model, "producer_scope_field"):
            field.queryset = scope_queryset(queryset, user, model.producer_scope_field)


class ProducerScopedViewSet(ModelViewSet):
    """A ModelViewSet whose every view is limited to the rows of the user's own producers."""

    producer_field = "producer"

    def construct_view(self, view_class, **kwargs):
        if not issubclass(view_class, _ScopedViewMixin) and (
            hasattr(view_class, "get_object") or hasattr(view_class, "get_base_queryset")
        ):
            view_class = type(
                f"ProducerScoped{view_class.__name__}",
                (_ScopedViewMixin, view_class),
                {"producer_field": self.producer_field},
            )
        return super().construct_view(view_class, **kwargs)

"""Per-producer scoping of admin data, enforced on the server.

Officers (superusers and members of "OCOP officers") see every row. A producer's editors see
only rows whose `producer_field` path leads to a producer whose editors' group they belong to;
any other row is a 404 on every admin URL (index, edit, delete, inspect, history, usage, copy).

Form choices (foreign keys, many-to-many, inline formsets) are limited by
`catalog.scoping.limit_producer_choices`, through each model's `producer_scope_field`.

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
from django.db.models import Q
from django.http import Http404
from wagtail.admin.viewsets.model import ModelViewSet

from catalog.models import Producer
from catalog.scoping import (
    OFFICERS_GROUP,
    is_officer,
    limit_producer_choices,
    scope_queryset,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

__all__ = [
    "OFFICERS_GROUP",
    "PRODUCER_EDITORS_GROUP",
    "ProducerScopedViewSet",
    "grant",
    "is_officer",
    "limit_producer_choices",
    "own_pages_q",
    "producers_for",
    "scope_queryset",
]

PRODUCER_EDITORS_GROUP = "Producer editors"


def permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def grant(group_name: str, perms: Iterable[tuple[str, str]]) -> Group:
    """Give a group (created if missing) model permissions; fail loudly on an unknown one."""
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.add(*(permission(app_label, codename) for app_label, codename in perms))
    return group


def producers_for(user: AbstractUser) -> models.QuerySet[Producer]:
    """Producers the user may act for: all for officers, their own for producer editors."""
    if is_officer(user):
        return Producer.objects.all()
    if not user.is_authenticated:
        return Producer.objects.none()
    return Producer.objects.filter(editors_group__user=user)


def user_may_access(instance: models.Model, user: AbstractUser, producer_field: str) -> bool:
    if is_officer(user):
        return True
    return scope_queryset(
        type(instance)._default_manager.filter(pk=instance.pk), user, producer_field
    ).exists()


class _ScopedViewMixin:
    producer_field = "producer"

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        model = getattr(self, "model", None)
        if model is not None and not issubclass(queryset.model, model):
            # The history or usage rows of one object: get_object() already refused a foreign one.
            return queryset
        return scope_queryset(queryset, self.request.user, self.producer_field)

    def get_object(self, *args: Any, **kwargs: Any):
        obj = super().get_object(*args, **kwargs)
        if obj is not None and not user_may_access(obj, self.request.user, self.producer_field):
            raise Http404
        return obj

    def get_form(self, *args: Any, **kwargs: Any):
        form = super().get_form(*args, **kwargs)
        limit_producer_choices(form, self.request.user)
        return form


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


def own_pages_q(user: AbstractUser) -> Q:
    """Pages in the user's producers' subtrees, and the ancestors leading down to them."""
    from wagtail.models import Page

    from catalog.models import ProducerPage

    paths = list(
        ProducerPage.objects.filter(producer__in=producers_for(user)).values_list("path", flat=True)
    )
    if not paths:
        return Q(pk__in=[])
    ancestors = {
        path[: i * Page.steplen] for path in paths for i in range(1, len(path) // Page.steplen)
    }
    below = Q()
    for path in paths:
        below |= Q(path__startswith=path)
    return below | Q(path__in=ancestors)

"""Per-producer scoping of admin data, enforced on the server.

Officers (superusers and members of "OCOP officers") see every row. A producer's editors see
only rows whose `producer_field` path leads to a producer whose editors' group they belong to;
any other row is a 404 on every admin URL (index, edit, delete, inspect, history, usage, copy).

Form choices (foreign keys, many-to-many, inline formsets) are limited by
`catalog.scoping.limit_producer_choices`, through each model's `producer_scope_field`.

The rule is a Wagtail permission policy per model, `ProducerPermissionPolicy`, which reads
the owning producer from the model's `producer_scope_field`. Use `ProducerScopedViewSet` for
any model that belongs to a producer (it registers the policy, and its views ask it):

    class BatchViewSet(ProducerScopedViewSet):
        model = Batch          # Batch.producer_scope_field = "variant__page__producer"
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.http import Http404
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from catalog.models import Producer
from catalog.scoping import (
    OFFICERS_GROUP,
    is_officer,
    limit_producer_choices,
    producer_path,
    scope_queryset,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

__all__ = [
    "OFFICERS_GROUP",
    "PRODUCER_EDITORS_GROUP",
    "ProducerPermissionPolicy",
    "ProducerScopedViewMixin",
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


class ProducerPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, narrowed to the rows of the user's own producers.

    The row rule lives here, once per model: which producer owns a row comes from the model
    (`catalog.scoping.producer_path`: its `producer_scope_field`). Wagtail's own instance checks
    (inspect, delete, preview, bulk actions) ask the registered policy, and the scoped views
    below ask it for their querysets and objects, so every admin URL applies the same rule.
    """

    def __init__(self, model, **kwargs: Any) -> None:
        super().__init__(model, **kwargs)
        self.producer_field = producer_path(self.model)
        if self.producer_field is None:
            raise ImproperlyConfigured(
                f"{self.model._meta.label} belongs to no producer: give it a producer_scope_field"
            )

    def scope(self, queryset: models.QuerySet, user: AbstractUser) -> models.QuerySet:
        """The rows of `queryset` the user may reach (every row for officers)."""
        return scope_queryset(queryset, user, self.producer_field)

    def user_may_reach(self, user: AbstractUser, instance: models.Model) -> bool:
        if is_officer(user):
            return True
        return self.scope(type(instance)._default_manager.filter(pk=instance.pk), user).exists()

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        return self.user_has_permission(user, action) and self.user_may_reach(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        return self.user_has_any_permission(user, actions) and self.user_may_reach(user, instance)

    def instances_user_has_any_permission_for(self, user, actions) -> models.QuerySet:
        return self.scope(super().instances_user_has_any_permission_for(user, actions), user)


def register_producer_policy(model: type[models.Model], policy_class=ProducerPermissionPolicy):
    """Register the producer-scoped policy of a model (for Wagtail's views and ours)."""
    register_permission_policy(model, policy_class(model), exact_class=True)


class ProducerScopedViewMixin:
    """Asks the model's `ProducerPermissionPolicy` for the rows and the object, and limits
    every form choice to the user's producers. Any other row is a 404."""

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        model = getattr(self, "model", None)
        if model is not None and not issubclass(queryset.model, model):
            # The history or usage rows of one object: get_object() already refused a foreign one.
            return queryset
        return _policy_of(queryset.model).scope(queryset, self.request.user)

    def get_object(self, *args: Any, **kwargs: Any):
        obj = super().get_object(*args, **kwargs)
        if obj is not None and not _policy_of(type(obj)).user_may_reach(self.request.user, obj):
            raise Http404
        return obj

    def get_form(self, *args: Any, **kwargs: Any):
        form = super().get_form(*args, **kwargs)
        limit_producer_choices(form, self.request.user)
        return form


def _policy_of(model: type[models.Model]) -> ProducerPermissionPolicy:
    policy = policy_registry.get_by_type(model, fallback=False)
    if not isinstance(policy, ProducerPermissionPolicy):
        raise ImproperlyConfigured(f"{model._meta.label} has no ProducerPermissionPolicy")
    return policy


# Wagtail's model views, scoped. A viewset's own view classes derive from these (or add
# ProducerScopedViewMixin first); ProducerScopedViewSet refuses any other.
class ScopedIndexView(ProducerScopedViewMixin, generic.IndexView):
    pass


class ScopedCreateView(ProducerScopedViewMixin, generic.CreateView):
    pass


class ScopedEditView(ProducerScopedViewMixin, generic.EditView):
    pass


class ScopedDeleteView(ProducerScopedViewMixin, generic.DeleteView):
    pass


class ScopedCopyView(ProducerScopedViewMixin, generic.CopyView):
    pass


class ScopedInspectView(ProducerScopedViewMixin, generic.InspectView):
    pass


class ScopedReorderView(ProducerScopedViewMixin, generic.ReorderView):
    pass


class ScopedHistoryView(ProducerScopedViewMixin, history.HistoryView):
    pass


class ScopedUsageView(ProducerScopedViewMixin, usage.UsageView):
    pass


class ProducerScopedViewSet(ModelViewSet):
    """A ModelViewSet whose every view is limited to the rows of the user's own producers,
    by the model's `ProducerPermissionPolicy` (registered here unless the app registered a
    subclass of it, e.g. an append-only one)."""

    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    copy_view_class = ScopedCopyView
    inspect_view_class = ScopedInspectView
    reorder_view_class = ScopedReorderView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView

    def register_permissions(self):
        if not isinstance(
            policy_registry.get_by_type(self.model, fallback=False), ProducerPermissionPolicy
        ):
            register_producer_policy(self.model)
        super().register_permissions()

    def construct_view(self, view_class, **kwargs):
        if not issubclass(view_class, ProducerScopedViewMixin) and (
            hasattr(view_class, "get_object") or hasattr(view_class, "get_base_queryset")
        ):
            raise ImproperlyConfigured(
                f"{type(self).__name__}: {view_class.__name__} reads rows but is not scoped to "
                "the user's producers; derive it from ProducerScopedViewMixin"
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

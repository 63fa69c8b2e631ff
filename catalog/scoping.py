"""Which producer a row belongs to, and the admin form choices an editor may see and post.

One rule, used by every admin form (model viewsets, page forms, inline panels, choosers):
a model that belongs to a producer says how, with `producer_scope_field` (a lookup path to
`catalog.Producer`; Wagtail's images, documents and collections belong to the producer whose
collection holds them). A producer's editor is offered, and may post, only rows of their own
producers in every foreign-key and many-to-many field, including the fields of inline
formsets; a forged id is "not one of the available choices" and nothing is saved. A value the
row already holds (set by an officer) is kept. Officers see everything.

A leaf module: it imports no model at import time, so models (page forms) can use it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser
    from django.forms import BaseForm, BaseFormSet

OFFICERS_GROUP = "OCOP officers"


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


def producer_path(model: type[models.Model]) -> str | None:
    """The lookup from `model` to the producer owning a row; None for shared reference data."""
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage
    from wagtail.models import Collection

    if model._meta.label == "catalog.Producer":
        return "pk"
    path = getattr(model, "producer_scope_field", None)
    if path:
        return path
    if issubclass(model, (AbstractImage, AbstractDocument)):
        return "collection__producer"
    if issubclass(model, Collection):
        return "producer"
    return None


def scope_queryset(
    queryset: models.QuerySet, user: AbstractUser, producer_field: str = "producer"
) -> models.QuerySet:
    """The rows of `queryset` that belong to one of the user's producers (all for officers)."""
    if is_officer(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    prefix = "" if producer_field == "pk" else f"{producer_field}__"
    return queryset.filter(**{f"{prefix}editors_group__user": user}).distinct()


def _current_pks(form: BaseForm, name: str) -> list[Any]:
    """The primary keys the form's row holds in this field now (kept even if out of scope)."""
    instance = getattr(form, "instance", None)
    if instance is None or instance.pk is None:
        return []
    value = form.initial.get(name)
    values = value if isinstance(value, list | tuple | set | models.QuerySet) else [value]
    return [getattr(v, "pk", v) for v in values if v not in (None, "")]


def limit_producer_choices(form: BaseForm, user: AbstractUser | None) -> None:
    """Offer and accept only the user's own producers' rows, in the form and its formsets."""
    if user is None or is_officer(user):
        return
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is None or getattr(field, "_producer_scoped", False):
            continue
        path = producer_path(queryset.model)
        if path is None:
            continue
        allowed = Q(pk__in=scope_queryset(queryset.model._default_manager.all(), user, path))
        if kept := _current_pks(form, name):
            allowed |= Q(pk__in=kept)
        field.queryset = queryset.filter(allowed)
        field._producer_scoped = True
    for formset in getattr(form, "formsets", {}).values():
        _limit_formset(formset, user)


def _limit_formset(formset: BaseFormSet, user: AbstractUser) -> None:
    """Scope every child form, built now or later (`forms` and `empty_form` are lazy)."""
    add_fields = formset.add_fields

    def add_scoped_fields(form, index):
        add_fields(form, index)
        limit_producer_choices(form, user)

    formset.add_fields = add_scoped_fields
    for form in formset.__dict__.get("forms", []):
        limit_producer_choices(form, user)


class ProducerScopedFormMixin:
    """For Wagtail admin forms (page forms): scope the choices to `for_user`'s producers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_producer_choices(self, getattr(self, "for_user", None))

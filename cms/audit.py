"""The audit log: who changed prices, stock, certificates, batches, trace events, order statuses.

A leaf module (it imports no project module), so services of every app call `record()`
without import cycles. Entries are Wagtail log entries (`cms.models.AuditLogEntry`, a
`BaseLogEntry` that also stores the producers the record belongs to), shown in Wagtail's
"Site history" report and each object's "History"; officers see all of them, a producer's
editors only their own producer's (see `AuditLogEntryManager.viewable_by_user`).

Prices and stock are the one exception to explicit calls: variants are written by Wagtail
(modelcluster) when a product page is published, so a `pre_save` receiver compares the row
with what is about to be saved. Stock moved by orders (`QuerySet.update`) is not logged here:
each order keeps its own `OrderEvent` history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter, log

# action → label shown in the report's filter and each entry
ACTIONS: dict[str, Any] = {
    "ocop.price": _("Change price"),
    "ocop.stock": _("Change stock"),
    "ocop.certificate.record": _("Record OCOP certificate"),
    "ocop.certificate.revoke": _("Revoke OCOP certificate"),
    "ocop.batch.status": _("Change batch status"),
    "ocop.trace_event": _("Record trace event"),
    "ocop.order.status": _("Change order status"),
    "ocop.fulfilment.status": _("Change parcel status"),
    "ocop.evaluation.status": _("Change OCOP application status"),
    "ocop.evaluation.score": _("Submit council score sheet"),
    "ocop.evaluation.round": _("Form OCOP council round"),
    "ocop.registration.submit": _("Receive producer registration"),
    "ocop.registration.approve": _("Approve producer registration"),
    "ocop.registration.reject": _("Reject producer registration"),
}

# "app_label.ModelName" → attribute path to its producer id(s); None: officers only.
AUDITED_MODELS: dict[str, str | None] = {
    "catalog.Producer": "pk",
    "catalog.ProductVariant": "page.producer_id",
    "catalog.Certificate": "product.producer_id",
    "traceability.GrowingArea": "producers",
    "traceability.Batch": "variant.page.producer_id",
    "traceability.TraceEvent": "batch.variant.page.producer_id",
    "traceability.ProblemReport": "batch.variant.page.producer_id",
    "storefront.Fulfilment": "producer_id",
    "storefront.Order": None,
    "evaluation.OcopApplication": "product.producer_id",
    "evaluation.CouncilRound": None,
    "registration.ProducerRequest": None,
}


def model_key(instance: Any) -> str:
    meta = instance._meta
    return f"{meta.app_label}.{meta.object_name}"


def producer_ids(instance: Any) -> list[int]:
    """The producers a record belongs to (empty: officers only)."""
    path = AUDITED_MODELS.get(model_key(instance))
    if path is None:
        return []
    value: Any = instance
    for part in path.split("."):
        value = getattr(value, part, None)
        if value is None:
            return []
    if hasattr(value, "values_list"):  # a many-to-many manager
        return sorted(value.values_list("pk", flat=True)) if instance.pk else []
    return [int(value)]


def producer_keys(ids: list[int]) -> str:
    """Stored as "|3|7|" so one portable `contains` filter finds each producer's entries."""
    return "|" + "|".join(str(i) for i in ids) + "|" if ids else ""


def record(instance: Any, action: str, *, user: Any = None, data: dict | None = None) -> Any:
    """Append an audit entry; `user` defaults to the admin request's user (Wagtail's context)."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return log(instance, action, user=user, data=data or {})


class Formatter(LogFormatter):
    """ "Change price: Chai 500 ml 150000 → 160000", or the label with the entry's note."""

    def format_message(self, log_entry: Any) -> str:
        data = log_entry.data or {}
        message = str(self.label)
        if "old" in data and "new" in data:
            subject = data.get("variant") or log_entry.label
            message = f"{message}: {subject} {data['old']} → {data['new']}"
        note = data.get("note") or ""
        if not note:
            return message
        return f"{message} ({note})" if "old" in data else f"{message}: {note}"


def register(actions: Any, log_model: Any) -> None:
    """For the `register_log_actions` hook: our actions, and our models' entries in `log_model`."""
    from django.apps import apps

    for action, label in ACTIONS.items():
        actions.register_action(action)(type("AuditFormatter", (Formatter,), {"label": label}))
    for key in AUDITED_MODELS:
        actions.register_model(apps.get_model(key), log_model)


# Who sees which entries: set once by `cms.wagtail_hooks` (it knows officers and producers);
# returns None for "every entry" or the ids of the user's producers. Until set: nobody but
# superusers sees anything.
_scope: Callable[[Any], list[int] | None] = lambda user: []  # noqa: E731


def set_scope(scope: Callable[[Any], list[int] | None]) -> None:
    global _scope
    _scope = scope


def visible_producers(user: Any) -> list[int] | None:
    return None if user.is_superuser else _scope(user)


# --- Prices and stock ---------------------------------------------------------------------------


def _variant_pre_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None:
        return
    page = getattr(instance, "page", None)
    if page is not None and getattr(page, "alias_of_id", None):
        return  # an alias copies its source page: the source's entry says it all
    old = sender.objects.filter(pk=instance.pk).values("price", "stock").first()
    if old is None:
        return
    for field, action in (("price", "ocop.price"), ("stock", "ocop.stock")):
        new = getattr(instance, field)
        if old[field] != new:
            record(
                instance,
                action,
                data={"field": field, "old": old[field], "new": new, "variant": instance.name},
            )


def connect() -> None:
    pre_save.connect(
        _variant_pre_save, sender="catalog.ProductVariant", dispatch_uid="audit-variant"
    )

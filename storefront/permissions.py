"""Model permissions of the storefront for the officers' and producer editors' groups.

Rows are still filtered per producer (catalog.permissions.ProducerScopedViewSet): a producer
editor holding `view_fulfilment` sees only its own producer's fulfilments.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from catalog.permissions import OFFICERS_GROUP

PRODUCER_EDITORS_GROUP = "Producer editors"

OFFICER_PERMISSIONS = [
    "view_order",
    "change_order",
    "view_fulfilment",
    "change_fulfilment",
    "view_shippingzone",
    "add_shippingzone",
    "change_shippingzone",
    "delete_shippingzone",
    "view_shippingrule",
    "add_shippingrule",
    "change_shippingrule",
    "delete_shippingrule",
]
PRODUCER_EDITOR_PERMISSIONS = ["view_fulfilment", "change_fulfilment"]


def _perms(codenames: list[str]) -> list[Permission]:
    found = list(
        Permission.objects.filter(content_type__app_label="storefront", codename__in=codenames)
    )
    missing = set(codenames) - {p.codename for p in found}
    if missing:
        raise LookupError(f"Missing storefront permissions: {sorted(missing)}")
    return found


def setup_storefront_permissions() -> None:
    """Idempotent: grant the storefront's model permissions to the two base groups."""
    officers, _ = Group.objects.get_or_create(name=OFFICERS_GROUP)
    officers.permissions.add(*_perms(OFFICER_PERMISSIONS))
    editors, _ = Group.objects.get_or_create(name=PRODUCER_EDITORS_GROUP)
    editors.permissions.add(*_perms(PRODUCER_EDITOR_PERMISSIONS))

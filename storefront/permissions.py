"""Model permissions of the storefront for the officers' and producer editors' groups.

Rows are still filtered per producer (catalog.permissions.ProducerScopedViewSet): a producer
editor holding `view_fulfilment` sees only its own producer's fulfilments.
"""

from __future__ import annotations

from catalog.permissions import OFFICERS_GROUP, PRODUCER_EDITORS_GROUP, grant

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


def setup_storefront_permissions() -> None:
    """Idempotent: grant the storefront's model permissions to the two base groups."""
    grant(OFFICERS_GROUP, [("storefront", c) for c in OFFICER_PERMISSIONS])
    grant(PRODUCER_EDITORS_GROUP, [("storefront", c) for c in PRODUCER_EDITOR_PERMISSIONS])

"""Model permissions of reviews for the officers' and producer editors' groups.

Rows stay scoped per producer (catalog.permissions.ProducerScopedViewSet); what each may change
is decided by the admin form: officers moderate, producers' editors answer. Nobody adds reviews
in the admin (only shoppers write them) and nobody deletes them (officers hide them).
"""

from __future__ import annotations

from catalog.permissions import OFFICERS_GROUP, PRODUCER_EDITORS_GROUP, grant

PERMISSIONS = ["view_review", "change_review"]


def setup_review_permissions() -> None:
    """Idempotent: grant the reviews' model permissions to the two base groups."""
    grant(OFFICERS_GROUP, [("reviews", c) for c in PERMISSIONS])
    grant(PRODUCER_EDITORS_GROUP, [("reviews", c) for c in PERMISSIONS])

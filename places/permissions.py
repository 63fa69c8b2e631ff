"""Officers keep the sales points; producer editors have no permission on them at all."""

from __future__ import annotations

from catalog.permissions import OFFICERS_GROUP, grant

OFFICER_PERMISSIONS = (
    "add_salespoint",
    "change_salespoint",
    "delete_salespoint",
    "view_salespoint",
)


def setup_places_permissions() -> None:
    """Idempotent: grant the sales points' model permissions to the officers."""
    grant(OFFICERS_GROUP, [("places", c) for c in OFFICER_PERMISSIONS])

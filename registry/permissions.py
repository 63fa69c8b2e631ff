"""Officers edit the programme targets; producer editors get no permission on them."""

from __future__ import annotations

from catalog.permissions import OFFICERS_GROUP, grant

OFFICER_PERMISSIONS = [
    "view_programmetarget",
    "add_programmetarget",
    "change_programmetarget",
    "delete_programmetarget",
]


def setup_registry_permissions() -> None:
    """Idempotent: grant the officers' group the targets' model permissions."""
    grant(OFFICERS_GROUP, [("registry", c) for c in OFFICER_PERMISSIONS])

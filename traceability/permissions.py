"""Model permissions for traceability records, granted to the producer editors and officers.

Rows are filtered per producer by the policies below (`ProducerPermissionPolicy`); the
model permissions say which actions each group may take at all. Trace events and status
events are history: nobody, not even a superuser, gets to change or delete them in the admin
(see `AppendOnlyPermissionPolicy`).
"""

from __future__ import annotations

from catalog.permissions import (
    OFFICERS_GROUP,
    PRODUCER_EDITORS_GROUP,
    ProducerPermissionPolicy,
    grant,
)

EDITOR_PERMISSIONS = [
    "add_growingarea",
    "change_growingarea",
    "view_growingarea",
    "add_batch",
    "change_batch",
    "view_batch",
    "add_traceevent",
    "view_traceevent",
    "view_problemreport",
    "change_problemreport",
]
OFFICER_PERMISSIONS = [*EDITOR_PERMISSIONS, "delete_growingarea", "delete_batch"]


class AppendOnlyPermissionPolicy(ProducerPermissionPolicy):
    """Add and view only: history is corrected by a new row, never edited or deleted."""

    def user_has_permission(self, user, action):
        if action in {"change", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [a for a in actions if a not in {"change", "delete"}]
        return super().users_with_any_permission(actions)


class ReportPermissionPolicy(ProducerPermissionPolicy):
    """Problem reports come only from consumers and are never deleted: officers and the
    producer's editors view them and change only their status and answer."""

    def user_has_permission(self, user, action):
        if action in {"add", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [a for a in actions if a not in {"add", "delete"}]
        return super().users_with_any_permission(actions)


def setup_traceability_permissions() -> None:
    """Grant the traceability model permissions to both groups (idempotent)."""
    grant(PRODUCER_EDITORS_GROUP, [("traceability", c) for c in EDITOR_PERMISSIONS])
    grant(OFFICERS_GROUP, [("traceability", c) for c in OFFICER_PERMISSIONS])

"""Model permissions for traceability records, granted to the producer editors and officers.

Rows are still filtered per producer by `catalog.permissions.ProducerScopedViewSet`; these
permissions only say which actions each group may take at all. Trace events and status
events are history: nobody, not even a superuser, gets to change or delete them in the admin
(see `AppendOnlyPermissionPolicy`).
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from wagtail.permission_policies import ModelPermissionPolicy

from catalog.permissions import OFFICERS_GROUP

PRODUCER_EDITORS_GROUP = "Producer editors"

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
]
OFFICER_PERMISSIONS = [*EDITOR_PERMISSIONS, "delete_growingarea", "delete_batch"]


class AppendOnlyPermissionPolicy(ModelPermissionPolicy):
    """Add and view only: history is corrected by a new row, never edited or deleted."""

    def user_has_permission(self, user, action):
        if action in {"change", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [a for a in actions if a not in {"change", "delete"}]
        return super().users_with_any_permission(actions)


def _perms(codenames: list[str]) -> list[Permission]:
    return list(
        Permission.objects.filter(content_type__app_label="traceability", codename__in=codenames)
    )


def setup_traceability_permissions() -> None:
    """Grant the traceability model permissions to both groups (idempotent)."""
    editors, _ = Group.objects.get_or_create(name=PRODUCER_EDITORS_GROUP)
    officers, _ = Group.objects.get_or_create(name=OFFICERS_GROUP)
    editors.permissions.add(*_perms(EDITOR_PERMISSIONS))
    officers.permissions.add(*_perms(OFFICER_PERMISSIONS))

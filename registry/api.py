"""Registry and statistics endpoints of the open data API (mounted at /api/v1/ by `opendata`).

Read-only; the filters are the registry page's (`registry.filters`), the rows and figures the
same functions compute (`registry.queries`, `registry.statistics`). Nothing private (dossiers,
council members' scores, editors) is in any schema.
"""

from __future__ import annotations

from ninja import Router, Schema

from registry.status import RegistryStatus

router = Router(tags=["registry"])


class StatusSchema(Schema):
    code: str
    label: str


@router.get("/registry/statuses", response=list[StatusSchema], summary="Registry statuses")
def list_statuses(request):
    """The statuses a registry entry can have (the `status` filter's values)."""
    return [StatusSchema(code=s.value, label=str(s.label)) for s in RegistryStatus]

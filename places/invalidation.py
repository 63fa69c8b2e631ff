"""A change of any sales point voids the pages that list them (cms.pagecache, after commit).

Product pages ("where to buy in person") and the province pages record the SALES_POINTS tag
while they render; changes are rare (an officer's edit), so one tag for all is exact enough.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from cms import pagecache

SALES_POINTS = "sales-points"


def _changed(sender, **kwargs) -> None:
    pagecache.invalidate(SALES_POINTS)


def connect() -> None:
    from places.models import SalesPoint

    post_save.connect(_changed, sender=SalesPoint, dispatch_uid="pagecache-salespoint")
    post_delete.connect(_changed, sender=SalesPoint, dispatch_uid="pagecache-d-salespoint")
    for through in (SalesPoint.producers.through, SalesPoint.products.through):
        m2m_changed.connect(_changed, sender=through, dispatch_uid=f"pagecache-{through.__name__}")

"""Which cached pages a traceability change voids (see `cms.pagecache`).

A batch's scan page and resolver answers depend on `batch:<id>` (status, recall, events, their
photos, lab results, areas linked) and on `area:<id>` for each growing area shown. Status
changes are written with an UPDATE, but always with a `BatchStatusEvent` row: its save is the
signal. Serial pages count each scan and are never cached, so serials and scans void nothing.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from cms import pagecache


def _batch_changed(sender, instance, **kwargs) -> None:
    pagecache.invalidate(pagecache.batch_tag(instance.pk))


def _batch_part_changed(sender, instance, **kwargs) -> None:
    """A status event, trace event or lab result of one batch."""
    pagecache.invalidate(pagecache.batch_tag(instance.batch_id))


def _attachment_changed(sender, instance, **kwargs) -> None:
    from traceability.models import TraceEvent

    batch_id = TraceEvent.objects.filter(pk=instance.event_id).values_list("batch_id", flat=True)
    pagecache.invalidate(*(pagecache.batch_tag(b) for b in batch_id))


def _areas_linked(sender, instance, action, pk_set=None, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    from traceability.models import Batch

    if isinstance(instance, Batch):
        pagecache.invalidate(pagecache.batch_tag(instance.pk))
    else:  # linked from the area's side
        pagecache.invalidate(*(pagecache.batch_tag(pk) for pk in pk_set or ()))


def _area_changed(sender, instance, **kwargs) -> None:
    pagecache.invalidate(pagecache.area_tag(instance.pk))


def _area_part_changed(sender, instance, **kwargs) -> None:
    pagecache.invalidate(pagecache.area_tag(instance.area_id))


def connect() -> None:
    from traceability.models import (
        AreaCertification,
        Batch,
        BatchDocument,
        BatchStatusEvent,
        GrowingArea,
        GrowingAreaPhoto,
        TraceEvent,
        TraceEventAttachment,
    )

    rules = [
        (Batch, _batch_changed),
        (BatchStatusEvent, _batch_part_changed),
        (TraceEvent, _batch_part_changed),
        (BatchDocument, _batch_part_changed),
        (TraceEventAttachment, _attachment_changed),
        (GrowingArea, _area_changed),
        (AreaCertification, _area_part_changed),
        (GrowingAreaPhoto, _area_part_changed),
    ]
    for model, handler in rules:
        name = model.__name__
        post_save.connect(handler, sender=model, dispatch_uid=f"pagecache-{name}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"pagecache-d-{name}")
    m2m_changed.connect(
        _areas_linked, sender=Batch.growing_areas.through, dispatch_uid="pagecache-batch-areas"
    )

"""Image renditions made ahead of the first visitor, in WebP (settings: format conversions).

A shopper on a cheap phone should not wait while the server resizes a 4 MB photo: when an image
is uploaded or its file or focal point changes, every size the templates use is made in a
background task after commit. Keep `SIZES` in step with the templates.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models import Prefetch
from django.db.models.signals import post_save
from django_tasks import task
from wagtail.images import get_image_model

# components/product_card.html, catalog/product_page.html (hero, thumbs, story, OG image),
# catalog/producer_page.html (logo), traceability/scan.html (product, event photos), cart.
SIZES = [
    "fill-240x180",
    "fill-480x360",
    "fill-400x300",
    "fill-800x600",
    "fill-160x120",
    "fill-320x240",
    "fill-96x96",
    "width-800",
]


def rendition(image, spec: str):
    """`image.get_rendition(spec)`, without a cache write when the renditions were prefetched.

    Wagtail's `get_rendition` writes the rendition to the cache on every call, even when it
    came from `prefetch_related("renditions")`: with the file cache, a file written per image
    per page view. `get_renditions` writes only what it had to look up.
    """
    return next(iter(image.get_renditions(spec).values()))


def only_renditions(lookup: str, *specs: str) -> Prefetch:
    """`prefetch_related(lookup)` of an image's renditions, only the sizes a page shows.

    Every image has a rendition per size in `SIZES`; a card needs two of them. Wagtail takes
    prefetched renditions as the whole answer for the sizes it looks for, so the others may be
    left out: a listing of 24 cards builds 48 renditions instead of 192."""
    from wagtail.images import get_image_model

    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs)
    return Prefetch(lookup, queryset=renditions)


@task()
def make_renditions_task(image_id: int) -> None:
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is not None:
        image.get_renditions(*SIZES)


# Set only inside `renditions_deferred()`: the images saved meanwhile, left for later.
_DEFERRED: ContextVar[list[int] | None] = ContextVar("renditions_deferred", default=None)


def make_renditions_later(image_id: int) -> None:
    deferred = _DEFERRED.get()
    if deferred is not None:
        deferred.append(image_id)
        return
    transaction.on_commit(lambda: make_renditions_task.enqueue(image_id))


@contextmanager
def renditions_deferred() -> Iterator[list[int]]:
    """Make no renditions while a bulk load saves images; yields the ids of the images saved.

    The caller decides what to make afterwards (`make_renditions_task`); whatever it leaves is
    made by Wagtail on the first view that asks for it, exactly as it would have been made here.
    """
    saved: list[int] = []
    token = _DEFERRED.set(saved)
    try:
        yield saved
    finally:
        _DEFERRED.reset(token)


def _image_saved(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    if created or not update_fields or {"file", "focal_point_x"} & set(update_fields):
        make_renditions_later(instance.pk)


def connect() -> None:
    post_save.connect(_image_saved, sender=get_image_model(), dispatch_uid="renditions-ahead")

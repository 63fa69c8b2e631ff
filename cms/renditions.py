"""Image renditions made ahead of the first visitor, in WebP (settings: format conversions).

A shopper on a cheap phone should not wait while the server resizes a 4 MB photo: when an image
is uploaded or its file or focal point changes, every size the templates use is made in a
background task after commit. Keep `SIZES` in step with the templates.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Prefetch
from django.db.models.signals import post_save
from django.utils.safestring import mark_safe
from django_tasks import task
from wagtail.images import get_image_model
from wagtail.images.models import Filter

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


@dataclass(frozen=True)
class MadeRendition:
    url: str
    width: int
    height: int


def made_renditions(image_ids: Iterable[int], specs: tuple[str, ...]) -> dict[int, list]:
    """Per image, its renditions of every size in `specs` (in that order) if all were made for
    its current focal point: one query for all the images, no model instances. An image with
    a size missing is left out (the caller lets Wagtail make it: `{% srcset_image %}`)."""
    ids = {pk for pk in image_ids if pk}
    if not ids:
        return {}
    rendition_model = get_image_model().get_rendition_model()
    storage = rendition_model._meta.get_field("file").storage
    filters = {spec: _filter(spec) for spec in specs}
    found: dict[int, dict[str, MadeRendition]] = {}
    focal = ("focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height")
    keys: dict[tuple, str] = {}  # most images share one focal point (none): one hash each
    for image_id, spec, name, width, height, key, *point in rendition_model.objects.filter(
        image_id__in=ids, filter_spec__in=specs
    ).values_list(
        "image_id",
        "filter_spec",
        "file",
        "width",
        "height",
        "focal_point_key",
        *(f"image__{field}" for field in focal),
    ):
        wanted = keys.get((spec, *point))
        if wanted is None:
            image = SimpleNamespace(**dict(zip(focal, point, strict=True)))
            wanted = keys[(spec, *point)] = filters[spec].get_cache_key(image)
        if key == wanted:
            found.setdefault(image_id, {})[spec] = MadeRendition(storage.url(name), width, height)
    return {
        pk: [made[spec] for spec in specs] for pk, made in found.items() if len(made) == len(specs)
    }


@functools.cache
def _filter(spec: str) -> Filter:
    """A parsed filter per spec, kept (Wagtail parses a spec with `inspect` on first use)."""
    return Filter(spec)


def _attributes(attrs: dict[str, Any]) -> str:
    """What `django.forms.utils.flatatt` writes (sorted, escaped; True alone, False and None
    left out), without its per-attribute `format_html`: a listing writes 24 images."""
    pairs = sorted((k, v) for k, v in attrs.items() if v is not None and not isinstance(v, bool))
    flags = sorted(k for k, v in attrs.items() if v is True)
    return "".join(f' {_escape(k)}="{_escape(v)}"' for k, v in pairs) + "".join(
        f" {_escape(k)}" for k in flags
    )


def _escape(value: Any) -> str:
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def srcset_img(renditions: list, **attrs: Any) -> str:
    """The `<img>` Wagtail's `{% srcset_image %}` writes for these renditions (the first is the
    fallback `src`), byte for byte, from renditions already looked up."""
    first = renditions[0]
    tag = {"src": first.url, "width": first.width, "height": first.height}
    tag.update(apps.get_app_config("wagtailimages").default_attrs)
    tag.update(attrs)
    if len(renditions) > 1:
        tag["srcset"] = ", ".join(f"{r.url} {r.width}w" for r in renditions)
    return mark_safe(f"<img{_attributes(tag)}>")  # noqa: S308 - every value escaped

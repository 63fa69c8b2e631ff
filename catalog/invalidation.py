"""Which cached pages a catalogue change voids (see `cms.pagecache`).

- A product's page, its variants (price, stock), gallery and certificates: `page:<key>`, which
  the product page, the scan pages of its batches, the resolver and every listing showing its
  card depend on.
- A producer's record: `producer:<id>` (its page, its product pages, cards naming it).
- What is listed, and in which order: `listing`, touched only when a product or producer page
  goes live or off, or changes title, group or producer, when a certificate changes (it decides
  what is for sale), or when a producer moves province.
Stock taken by checkout with an UPDATE sends no signal: `storefront.orders` calls
`stock_changed()`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models.signals import post_delete, post_save, pre_save
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from cms import pagecache

LISTED_FIELDS = ("live", "title", "group_id", "producer_id")


def _listed(page) -> tuple:
    return tuple(getattr(page, name, None) for name in LISTED_FIELDS)


def _remember_listed(sender, instance, **kwargs) -> None:
    before = sender.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._listed_before = _listed(before) if before is not None else None


def _page_published(sender, instance, **kwargs) -> None:
    if getattr(instance, "_listed_before", None) != _listed(instance):
        pagecache.invalidate(pagecache.LISTING)


def _page_unpublished(sender, instance, **kwargs) -> None:
    pagecache.invalidate(pagecache.LISTING)


def _translation_key(page_id: int | None):
    if page_id is None:
        return None
    return Page.objects.filter(pk=page_id).values_list("translation_key", flat=True).first()


def _product_part_changed(sender, instance, **kwargs) -> None:
    """A variant (price, stock, name, GTIN) or a gallery image."""
    key = _translation_key(instance.page_id)
    if key is not None:
        pagecache.invalidate(pagecache.page_tag(key))


def _certificate_changed(sender, instance, **kwargs) -> None:
    key = _translation_key(instance.product_id)
    if key is not None:
        pagecache.invalidate(pagecache.page_tag(key), pagecache.LISTING)


def _remember_province(sender, instance, **kwargs) -> None:
    before = None
    if instance.pk:
        before = sender.objects.filter(pk=instance.pk).values_list("province_code", flat=True)
    instance._province_before = before.first() if before else instance.province_code


def _producer_changed(sender, instance, **kwargs) -> None:
    tags = [pagecache.producer_tag(instance.pk)]
    if getattr(instance, "_province_before", instance.province_code) != instance.province_code:
        tags.append(pagecache.LISTING)  # the listings by province and the province list
    pagecache.invalidate(*tags)


def _image_changed(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    """A replaced file or a new focal point changes renditions wherever the image is shown."""
    if created or (update_fields and not {"file", "focal_point_x"} & set(update_fields)):
        return
    pagecache.invalidate_all()


def _groups_changed(sender, **kwargs) -> None:
    """An OCOP group renamed, added or removed (officers' reference data): its name shows on
    product pages, listings, facets and browse links; rare enough to void every page."""
    pagecache.invalidate_all()


def stock_changed(product_ids: Iterable[int]) -> None:
    """Stock moved by an UPDATE (checkout, released orders): void those products' pages."""
    keys = Page.objects.filter(pk__in=list(product_ids)).values_list("translation_key", flat=True)
    pagecache.invalidate(*(pagecache.page_tag(k) for k in keys))


def connect() -> None:
    from catalog.models import (
        Certificate,
        OcopGroup,
        Producer,
        ProducerPage,
        ProductImage,
        ProductPage,
        ProductVariant,
    )

    for model in (ProductPage, ProducerPage):
        name = model.__name__
        pre_save.connect(_remember_listed, sender=model, dispatch_uid=f"pagecache-pre-{name}")
        page_published.connect(_page_published, sender=model, dispatch_uid=f"pagecache-p-{name}")
        page_unpublished.connect(
            _page_unpublished, sender=model, dispatch_uid=f"pagecache-u-{name}"
        )
    for model in (ProductVariant, ProductImage):
        post_save.connect(_product_part_changed, sender=model, dispatch_uid=f"pc-{model.__name__}")
        post_delete.connect(
            _product_part_changed, sender=model, dispatch_uid=f"pc-d-{model.__name__}"
        )
    post_save.connect(_certificate_changed, sender=Certificate, dispatch_uid="pc-certificate")
    post_delete.connect(_certificate_changed, sender=Certificate, dispatch_uid="pc-d-certificate")
    pre_save.connect(_remember_province, sender=Producer, dispatch_uid="pc-pre-producer")
    post_save.connect(_producer_changed, sender=Producer, dispatch_uid="pc-producer")
    post_delete.connect(_producer_changed, sender=Producer, dispatch_uid="pc-d-producer")
    post_save.connect(_groups_changed, sender=OcopGroup, dispatch_uid="pc-ocop-group")
    post_delete.connect(_groups_changed, sender=OcopGroup, dispatch_uid="pc-d-ocop-group")
    post_save.connect(_image_changed, sender=get_image_model(), dispatch_uid="pc-image")
    post_delete.connect(_image_changed, sender=get_image_model(), dispatch_uid="pc-d-image")

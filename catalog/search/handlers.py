"""Entry points that keep the index current: Wagtail's page signals, the catalogue's own, and
saves of the rows a document copies (producer name/province/type, variant price/stock), which
admin forms, the shell and services all change without a page being published.

Every entry point only queues `index_products_task` after commit (`tasks.py`)."""

from __future__ import annotations

from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished

from catalog.signals import product_certification_changed


def _product_page_changed(sender, instance, **kwargs) -> None:
    from catalog.search.tasks import index_product_later

    index_product_later(instance.pk)


def _producer_page_published(sender, instance, **kwargs) -> None:
    """A producer's name or page moved: its products' documents carry that name."""
    from catalog.models import ProductPage
    from catalog.search.tasks import index_products_later

    ids = list(
        ProductPage.objects.filter(
            producer_id=instance.producer_id, alias_of__isnull=True
        ).values_list("pk", flat=True)
    )
    index_products_later(ids)


# What a document copies from these rows: a change to any of them re-indexes the products.
PRODUCER_FIELDS = ("name", "short_name", "province_code", "kind")
VARIANT_FIELDS = ("price", "stock", "name")


def _snapshot(fields: tuple[str, ...]):
    """A pre_save receiver remembering the stored values of `fields` on the instance."""

    def remember(sender, instance, **kwargs) -> None:
        before = None
        if instance.pk:
            before = sender.objects.filter(pk=instance.pk).values_list(*fields).first()
        instance._search_before = before

    return remember


def _changed(instance, fields: tuple[str, ...], created: bool) -> bool:
    before = getattr(instance, "_search_before", None)
    return created or before is None or before != tuple(getattr(instance, f) for f in fields)


def _producer_saved(sender, instance, created: bool = False, **kwargs) -> None:
    """A renamed producer, or one that moved province or changed type: every product of it."""
    from catalog.models import ProductPage
    from catalog.search.tasks import index_products_later

    if created or not _changed(instance, PRODUCER_FIELDS, created):
        return
    ids = list(
        ProductPage.objects.filter(producer=instance, alias_of__isnull=True).values_list(
            "pk", flat=True
        )
    )
    index_products_later(ids)


def _variant_saved(sender, instance, created: bool = False, **kwargs) -> None:
    """A price, stock or variant name changed (a publish re-saves unchanged variants: skipped)."""
    from catalog.search.tasks import index_product_later

    if instance.page_id and _changed(instance, VARIANT_FIELDS, created):
        index_product_later(instance.page_id)


def _variant_deleted(sender, instance, **kwargs) -> None:
    from catalog.search.tasks import index_product_later

    if instance.page_id:
        index_product_later(instance.page_id)


def _certification_changed(sender, product_id: int, **kwargs) -> None:
    from catalog.search.tasks import index_product_later

    index_product_later(product_id)


def _product_page_deleted(sender, instance, **kwargs) -> None:
    from django.db import transaction

    from catalog.search.tasks import remove_products_task

    pk = instance.pk
    transaction.on_commit(lambda: remove_products_task.enqueue([pk]))


def connect() -> None:
    from django.db.models.signals import post_save, pre_save

    from catalog.models import Producer, ProducerPage, ProductPage, ProductVariant

    pre_save.connect(
        _snapshot(PRODUCER_FIELDS), sender=Producer, weak=False, dispatch_uid="search-p0"
    )
    post_save.connect(_producer_saved, sender=Producer, dispatch_uid="search-producer")
    pre_save.connect(
        _snapshot(VARIANT_FIELDS), sender=ProductVariant, weak=False, dispatch_uid="search-v0"
    )
    post_save.connect(_variant_saved, sender=ProductVariant, dispatch_uid="search-variant")
    post_delete.connect(_variant_deleted, sender=ProductVariant, dispatch_uid="search-variant-del")

    page_published.connect(_product_page_changed, sender=ProductPage, dispatch_uid="search-pub")
    page_unpublished.connect(_product_page_changed, sender=ProductPage, dispatch_uid="search-unpub")
    page_published.connect(
        _producer_page_published, sender=ProducerPage, dispatch_uid="search-producer-pub"
    )
    product_certification_changed.connect(_certification_changed, dispatch_uid="search-cert")
    post_delete.connect(_product_page_deleted, sender=ProductPage, dispatch_uid="search-del")

"""Entry points that keep the index current: Wagtail's page signals and the catalogue's own."""

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


def _certification_changed(sender, product_id: int, **kwargs) -> None:
    from catalog.search.tasks import index_product_later

    index_product_later(product_id)


def _product_page_deleted(sender, instance, **kwargs) -> None:
    from django.db import transaction

    from catalog.search.tasks import remove_products_task

    pk = instance.pk
    transaction.on_commit(lambda: remove_products_task.enqueue([pk]))


def connect() -> None:
    from catalog.models import ProducerPage, ProductPage

    page_published.connect(_product_page_changed, sender=ProductPage, dispatch_uid="search-pub")
    page_unpublished.connect(_product_page_changed, sender=ProductPage, dispatch_uid="search-unpub")
    page_published.connect(
        _producer_page_published, sender=ProducerPage, dispatch_uid="search-producer-pub"
    )
    product_certification_changed.connect(_certification_changed, dispatch_uid="search-cert")
    post_delete.connect(_product_page_deleted, sender=ProductPage, dispatch_uid="search-del")

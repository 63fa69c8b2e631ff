"""Background indexing: the index follows the catalogue right after commit, never in a request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django_tasks import task


@task()
def index_products_task(product_ids: list[int]) -> None:
    from catalog.search.base import get_search_engine

    get_search_engine().index_products(product_ids)
    listings_changed()


@task()
def remove_products_task(product_ids: list[int]) -> None:
    from catalog.search.base import get_search_engine

    get_search_engine().remove_products(product_ids)
    listings_changed()


def listings_changed() -> None:
    """The listings read their cards from the index: void the cached ones once it changed, so
    none rendered between a commit and the index catching up stays (cms.pagecache)."""
    from cms import pagecache

    pagecache.invalidate(pagecache.LISTING)


def index_product_later(product_id: int) -> None:
    """Re-index one product (any locale's page id) in the background once the transaction commits.

    Call it after anything that changes what search shows: stock, prices, names. Publishing,
    unpublishing and certification changes already call it.
    """
    index_products_later([product_id])


# True only inside `indexing_suspended()`.
_SUSPENDED: ContextVar[bool] = ContextVar("search_indexing_suspended", default=False)


def index_products_later(product_ids: list[int]) -> None:
    ids = [int(pk) for pk in product_ids]
    if ids and not _SUSPENDED.get():
        transaction.on_commit(lambda: index_products_task.enqueue(ids))


@contextmanager
def indexing_suspended() -> Iterator[None]:
    """Queue no per-product indexing while a bulk load runs; the caller rebuilds the index once
    afterwards (`manage.py rebuild_catalog_index`), as `load_demo_data` does."""
    token = _SUSPENDED.set(True)
    try:
        yield
    finally:
        _SUSPENDED.reset(token)

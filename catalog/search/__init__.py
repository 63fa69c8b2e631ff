"""Catalogue search: one interface (`get_search_engine()`), a database engine (SQLite FTS5 or
PostgreSQL full-text search) and an Elasticsearch engine. See docs/search.md.

Kept import-light: Django imports this package while loading apps.
"""

from __future__ import annotations


def get_search_engine():
    from catalog.search.base import get_search_engine as _get

    return _get()


def index_product_later(product_id: int) -> None:
    """Re-index a product after the current transaction commits (e.g. after a stock change)."""
    from catalog.search.tasks import index_product_later as _later

    _later(product_id)


__all__ = ["get_search_engine", "index_product_later"]

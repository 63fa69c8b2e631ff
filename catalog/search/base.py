"""The one interface every search engine implements, and the settings-driven chooser.

`get_search_engine()` works like Django's `caches`: the engine is picked once from settings
(`CATALOG_SEARCH_ENGINE`, a dotted path; by default the Elasticsearch engine when
`ELASTICSEARCH_URL` or `OPENSEARCH_URL` is set, else the database engine) and views never know
which serves them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from catalog.search.query import SearchQuery, SearchResults, Suggestion

DATABASE_ENGINE = "catalog.search.database.DatabaseEngine"
ELASTICSEARCH_ENGINE = "catalog.search.elasticsearch.ElasticsearchEngine"

Progress = Callable[[int], None]


class SearchEngine(ABC):
    """Query in; hits, facet counts, total and suggestions out."""

    name: str = "base"

    @abstractmethod
    def search(self, query: SearchQuery) -> SearchResults: ...

    @abstractmethod
    def suggest(self, text: str, limit: int = 8) -> list[Suggestion]: ...

    @abstractmethod
    def index_products(self, product_ids: Iterable[int]) -> None:
        """Bring these products' documents up to date: (re)index the searchable, drop the rest."""

    @abstractmethod
    def remove_products(self, product_ids: Iterable[int]) -> None:
        """Drop the documents of deleted product pages."""

    @abstractmethod
    def rebuild(self, progress: Progress | None = None) -> int:
        """Index every searchable product from scratch; return how many were indexed."""

    def close(self) -> None:
        """Release connections (engines holding none do nothing)."""
        return None


def engine_path() -> str:
    configured = getattr(settings, "CATALOG_SEARCH_ENGINE", "")
    if configured:
        return configured
    return ELASTICSEARCH_ENGINE if any(_node_urls()) else DATABASE_ENGINE


def _node_urls() -> tuple[str, str]:
    return (getattr(settings, "ELASTICSEARCH_URL", ""), getattr(settings, "OPENSEARCH_URL", ""))


@lru_cache(maxsize=4)
def _engine(path: str, urls: tuple[str, str]) -> SearchEngine:
    return import_string(path)()


def get_search_engine() -> SearchEngine:
    """The configured engine (one instance per process and configuration)."""
    return _engine(engine_path(), _node_urls())


def _reset(**kwargs) -> None:
    if kwargs.get("setting") in {"CATALOG_SEARCH_ENGINE", "ELASTICSEARCH_URL", "OPENSEARCH_URL"}:
        _engine.cache_clear()


setting_changed.connect(_reset)

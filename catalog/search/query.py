"""What goes into a search engine and what comes out, whatever the engine."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.safestring import SafeString

from catalog.search.text import accented_words, nfc, tokens

SORTS = ("relevance", "price_asc", "price_desc", "stars", "newest", "title")
PAGE_SIZE = 20
# Price facet buckets in đồng: (lowest, highest) inclusive; None = open.
PRICE_BUCKETS: list[tuple[int, int | None]] = [
    (0, 99_999),
    (100_000, 199_999),
    (200_000, 499_999),
    (500_000, None),
]
# Facet names as used in URLs, JSON and engine results.
FACETS = ("group", "subgroup", "province", "stars", "kind", "price")


@dataclass
class SearchQuery:
    text: str = ""
    groups: list[int] = field(default_factory=list)
    subgroups: list[int] = field(default_factory=list)
    provinces: list[int] = field(default_factory=list)
    stars: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    price_min: int | None = None
    price_max: int | None = None
    sort: str = "relevance"
    page: int = 1
    page_size: int = PAGE_SIZE
    on: dt.date = field(default_factory=timezone.localdate)
    # Any word may match (the nearest products offered when nothing matches every word).
    match_any: bool = False

    @property
    def terms(self) -> list[str]:
        """Folded query words, in order, without repeats."""
        return list(dict.fromkeys(tokens(self.text)))

    @property
    def accented(self) -> list[str]:
        return list(dict.fromkeys(accented_words(nfc(self.text))))

    @property
    def effective_sort(self) -> str:
        if self.sort == "relevance" and not self.terms:
            return "newest"
        return self.sort if self.sort in SORTS else "relevance"

    @property
    def offset(self) -> int:
        return (max(self.page, 1) - 1) * self.page_size

    def filters(self) -> dict[str, list]:
        """The active multi-value facet filters by facet name (price is separate)."""
        return {
            "group": self.groups,
            "subgroup": self.subgroups,
            "province": self.provinces,
            "stars": self.stars,
            "kind": self.kinds,
        }


def price_bucket(price: int | None) -> int | None:
    if price is None:
        return None
    for i, (low, high) in enumerate(PRICE_BUCKETS):
        if price >= low and (high is None or price <= high):
            return i
    return None


@dataclass
class Hit:
    product_id: int
    translation_key: str
    title: str
    summary: str
    producer_name: str
    province_code: int
    group_id: int
    stars: int
    min_price: int | None
    in_stock: bool
    variant_count: int
    image_id: int | None
    score: float = 0.0
    title_html: SafeString | str = ""
    summary_html: SafeString | str = ""
    url: str = ""
    image: Any = None


@dataclass
class SearchResults:
    hits: list[Hit]
    total: int
    page: int
    page_size: int
    # facet name → {value: count}; values are ints except for "kind" (producer type codes)
    # and "price" (index into PRICE_BUCKETS).
    facets: dict[str, dict[Any, int]]
    # Spelling corrections used: typed word → catalogue words searched instead.
    corrections: dict[str, list[str]] = field(default_factory=dict)
    # Queries to offer the shopper ("did you mean …").
    suggestions: list[str] = field(default_factory=list)
    # Folded words and prefixes that matched (for highlighting).
    matched_terms: set[str] = field(default_factory=set)
    # The words were read loosely (catalogue words one edit from known words too): the strict
    # reading found nothing.
    relaxed: bool = False

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


def did_you_mean(
    text: str, corrections: dict[str, list[str]], titles: list[str] | None = None
) -> list[str]:
    """The corrected query to offer ("Did you mean …"), or nothing when no word was corrected.

    With the top results' titles, each corrected word is the reading those titles contain,
    with their accents (see `correction.did_you_mean`).
    """
    from catalog.search.correction import did_you_mean as corrected

    if not corrections:
        return []
    return [corrected(text, corrections, titles or [])]


@dataclass
class Suggestion:
    text: str
    product_id: int
    translation_key: str
    text_html: SafeString | str = ""
    url: str = ""

"""Product pages' reviews: the visible reviews section and schema.org ratings in the JSON-LD."""

from __future__ import annotations

from typing import Any

from django import template

from catalog.templatetags.ocop_tags import jsonld
from reviews.services import RatingSummary, rating_summary

register = template.Library()

JSONLD_REVIEWS = 5


def summary_for(page: Any) -> RatingSummary:
    """Computed once per page object (the head's JSON-LD and the section share it)."""
    found = getattr(page, "_rating_summary", None)
    if found is None:
        found = page._rating_summary = rating_summary(page)
    return found


def with_reviews(data: dict, summary: RatingSummary) -> dict:
    """`data` plus AggregateRating and Review, only when a review is visible."""
    if not summary.count:
        return data
    data = dict(data)
    data["aggregateRating"] = {
        "@type": "AggregateRating",
        "ratingValue": str(summary.average),
        "reviewCount": summary.count,
        "bestRating": 5,
        "worstRating": 1,
    }
    data["review"] = [
        {
            "@type": "Review",
            "reviewRating": {"@type": "Rating", "ratingValue": r.rating, "bestRating": 5},
            "author": {"@type": "Person", "name": r.author_name},
            "datePublished": r.created_at.date().isoformat(),
            **({"reviewBody": r.body} if r.body else {}),
        }
        for r in summary.reviews[:JSONLD_REVIEWS]
    ]
    return data


@register.simple_tag
def product_jsonld(data: dict, page: Any) -> str:
    return jsonld(with_reviews(data, summary_for(page)))


@register.inclusion_tag("reviews/product_reviews.html")
def product_reviews(page: Any, producer: Any = None) -> dict:
    return {"summary": summary_for(page), "producer": producer}

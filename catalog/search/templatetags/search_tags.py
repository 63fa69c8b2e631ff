"""`{% listing_facets %}`: the search page's facets on a catalogue listing.

A template tag rather than a call from `catalog.listing`, so the listing (which the page models
import) does not import the search presenters (which import the models): no import cycle.
"""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("search/listing_facets.html", takes_context=True)
def listing_facets(context) -> dict:
    from catalog.search.presenters import listing_facets as facets_for

    return facets_for(
        context["request"],
        group=context.get("group"),
        province=context.get("province"),
        found=context.get("listing_search"),
    )

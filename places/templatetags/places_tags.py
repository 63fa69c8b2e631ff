from __future__ import annotations

from django import template

from cms import pagecache
from places.invalidation import SALES_POINTS
from places.services import sales_points_for_product

register = template.Library()


@register.inclusion_tag("places/where_to_buy.html", takes_context=True)
def where_to_buy(context, page):
    """The product page's "Where to buy in person" section (voided with SALES_POINTS)."""
    pagecache.tag(context.get("request"), SALES_POINTS)
    return {"points": sales_points_for_product(page), "LANGUAGE_CODE": context.get("LANGUAGE_CODE")}

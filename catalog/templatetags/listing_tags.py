"""`{% product_listing %}` and `{% producer_products page as products %}`: the product cards of the
catalogue's listings and of a producer's page.

Template tags rather than calls from the page models, so the models never import the read
models (`catalog.listing`, `catalog.services`), which import the models: no import cycle.
"""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def product_listing(context) -> str:
    """Put the listing's page of cards, groups and provinces into the template's context."""
    from catalog.listing import listing_context

    values = listing_context(
        context["page"],
        context["request"],
        group=context.get("group"),
        province=context.get("province"),
    )
    for name, value in values.items():
        context[name] = value
    return ""


@register.simple_tag(takes_context=True)
def producer_products(context, page) -> list:
    from catalog.listing import producer_products as cards

    return cards(page, context["request"])

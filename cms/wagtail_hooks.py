"""Admin and serving hooks of the site-wide content app."""

from __future__ import annotations

from wagtail import hooks

from cms import pagecache


@hooks.register("before_serve_page")
def share_live_pages(page, request, serve_args, serve_kwargs):
    """Every live page served to an anonymous visitor may be kept in the page cache; pages add
    what else they show (products, producers) while they render."""
    pagecache.cacheable(request, pagecache.page_tag(page.translation_key))

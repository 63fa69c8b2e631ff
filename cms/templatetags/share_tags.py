"""What a page says about itself to search engines and to apps it is shared in.

`{% page_description %}` is the page's own meta description: the editor's search description,
else its summary (products, producers), else the site's line. `{% share_meta %}` prints the
Open Graph and Twitter card tags with absolute URLs built from SITE_URL, so a link pasted in
Zalo, Facebook or X shows the product's name, summary and photo.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cms.renditions import rendition

register = template.Library()

# Made at upload (cms.renditions.SIZES): sharing a page never resizes while someone waits.
SHARE_IMAGE_SPEC = "fill-800x600"
OG_LOCALES = {"vi": "vi_VN", "en": "en_GB"}


def _absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


def _shown(context: Any, name: str) -> str:
    """A page text as the reader sees it (the English text on /en/ where one is given)."""
    text = context.get("text")
    if isinstance(text, dict) and name in text:
        value = getattr(text[name], "value", text[name])
        if value:
            return str(value)
    page = context.get("page")
    return str(getattr(page, name, "") or "")


def description_for(context: Any) -> str:
    page = context.get("page")
    own = getattr(page, "search_description", "") or _shown(context, "summary")
    if own:
        return Truncator(" ".join(own.split())).chars(200)
    return _("Certified OCOP specialities from Vietnam's communes, traceable to the batch.")


@register.simple_tag(takes_context=True)
def page_description(context) -> str:
    return description_for(context)


def _share_image(context: Any) -> str:
    gallery = context.get("gallery") or []
    first = gallery[0] if gallery else None
    image = getattr(first, "image", None)
    if image is None:
        return ""
    try:
        return _absolute(rendition(image, SHARE_IMAGE_SPEC).url)
    except Exception:  # a missing source file must never break the page
        return ""


@register.inclusion_tag("components/share_meta.html", takes_context=True)
def share_meta(context) -> dict[str, Any]:
    page = context.get("page")
    request = context.get("request")
    title = getattr(page, "seo_title", "") or _shown(context, "title")
    url = ""
    if page is not None and hasattr(page, "get_url"):
        url = page.get_url(request) or ""
    elif request is not None:
        url = request.path
    image = _share_image(context)
    return {
        "title": title,
        "description": description_for(context),
        "url": _absolute(url) if url else "",
        "image": image,
        "image_alt": title,
        "kind": "product" if context.get("variants") is not None and image else "website",
        "locale": OG_LOCALES.get(get_language() or "vi", "vi_VN"),
        "site_name": _("OCOP Market"),
        "card": "summary_large_image" if image else "summary",
    }

"""The add-to-cart form's CSRF field: a real token, or none on a page every visitor shares."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.utils.html import format_html

from cms import pagecache

register = template.Library()


@register.simple_tag(takes_context=True)
def add_to_cart_csrf(context) -> str:
    """This visitor's token as a hidden field, unless the page is rendered for the page cache
    (then static/js/csrf-cookie.js adds the cookie's token at submit: the page stays one
    body for every visitor, pre-compressed and public for CDNs)."""
    request = context.get("request")
    if request is None or pagecache.renders_for_everyone(request):
        return ""
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )


@register.simple_tag
def csrf_cookie_name() -> str:
    return settings.CSRF_COOKIE_NAME

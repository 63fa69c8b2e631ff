"""Template filters: Vietnamese money, phone numbers, province names, schema.org JSON-LD."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext
from wagtail.models import Page

from catalog.addresses import province_name, short_province_name
from catalog.money import format_vnd
from catalog.phones import national_phone, tel_uri
from cms.jsonld import script_tag

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """150000 → '150.000 ₫' (Vietnamese grouping, whole đồng)."""
    return format_vnd(amount)


@register.filter
def phone(raw) -> str:
    """'+84912345678' → '0912 345 678' (national form, as Vietnamese people write it)."""
    return national_phone(raw)


@register.filter
def tel(raw) -> str:
    """A tel: link target in international form, whatever form the number was typed in."""
    return tel_uri(raw)


@register.filter
def star_marks(stars) -> str:
    """3 → '★★★' (at most five), one filter instead of a loop over five in every card."""
    return "★" * max(0, min(int(stars), 5))


@register.simple_tag
def stars_badge(stars) -> str:
    """The OCOP stars badge on every page (cards, product, scan, search hits, registry): what
    the former `components/stars.html` include printed, its last newline too, without an
    include and a plural block per card."""
    if not stars:
        return "\n"
    label = ngettext("OCOP %(stars)s star", "OCOP %(stars)s stars", stars) % {"stars": stars}
    return mark_safe(  # noqa: S308 (an int and our own translation, as the template printed)
        f'<span class="stars stars-{stars}" aria-label="{label}"><span aria-hidden="true">'
        f'{star_marks(stars)}</span> <span class="stars-label">OCOP {stars}★</span></span>\n'
    )


@register.filter
def province_short(code) -> str:
    return short_province_name(code)


@register.filter
def province(code) -> str:
    return province_name(code)


@register.simple_tag
def jsonld(data: dict) -> str:
    """A <script type="application/ld+json"> block, safely escaped (cms.jsonld)."""
    return script_tag(data)


@register.simple_tag
def live_translations(page) -> list:
    """The page's live translations (other locales), fetched once per page per request: for
    their links and language codes only (`pageurl` reads `url_path`), as plain Wagtail pages
    (a translation is of the page's own type: no join to its type's table is needed)."""
    cached = getattr(page, "_live_translations", None)
    if cached is None:
        translations = (
            Page.objects.filter(translation_key=page.translation_key)
            .exclude(pk=page.pk)
            .live()
            .select_related("locale")
        )
        cached = list(translations.only("url_path", "locale__language_code"))
        page._live_translations = cached
    return cached


@register.simple_tag
def default_language_page(page):
    """The page in the default language (hreflang x-default): itself or a live translation."""
    if page.locale.language_code == settings.LANGUAGE_CODE:
        return page
    default = (
        t for t in live_translations(page) if t.locale.language_code == settings.LANGUAGE_CODE
    )
    return next(default, page)

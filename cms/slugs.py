"""Slugs from Vietnamese titles: "Nước mắm đặc biệt" → "nuoc-mam-dac-biet".

Django's `slugify` (and Wagtail's, with WAGTAIL_ALLOW_UNICODE_SLUGS = False) folds accents
by Unicode decomposition, but đ/Đ has none and is dropped ("…-ac-biet"); Wagtail's admin
JavaScript maps it to "dj" (its Serbian table comes first). `vietnamese_slugify` maps đ to d
first; `install()` makes Wagtail's server-side page slugs use it, and
static/js/admin-slug.js does the same in the editor.
"""

from __future__ import annotations

from django.utils.text import slugify

D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def vietnamese_slugify(value, allow_unicode: bool = False) -> str:
    return slugify(str(value).translate(D_MAP), allow_unicode=allow_unicode)


def install() -> None:
    """Wagtail makes a page's missing slug with `slugify(title)` inside `Page.full_clean`;
    that module-level name is the one place every code path (admin, API, scripts) goes
    through, so it is pointed at `vietnamese_slugify`."""
    from wagtail.models import pages

    pages.slugify = vietnamese_slugify

"""The site's settings (contacts, VietQR bank account) for a request, or the default site's.

A leaf other apps read settings through (a payment gateway has no request when the checkout
asks whether it is available), so none of them reaches into another app's views for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest

    from cms.models import SiteSettings


def site_settings(request: HttpRequest | None = None) -> SiteSettings | None:
    from wagtail.models import Site

    from cms.models import SiteSettings

    site = Site.find_for_request(request) if request is not None else None
    site = site or Site.objects.filter(is_default_site=True).first()
    return SiteSettings.for_site(site) if site else None

"""The e-mailed link's signature salt, lifetime and address (a leaf: no project import)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

LINK_SALT = "accounts.email-link"
LINK_MAX_AGE = 15 * 60  # seconds; ACCOUNT_LINK_MAX_AGE overrides


def link_max_age() -> int:
    return int(getattr(settings, "ACCOUNT_LINK_MAX_AGE", LINK_MAX_AGE))


def link_url(link, token: str) -> str:
    with translation.override(link.language):
        return settings.SITE_URL + reverse("accounts:link", kwargs={"token": token})

from django.conf import settings
from django.core.checks import Error, register

from security.client import invalid_proxies


@register()
def check_trusted_proxies(app_configs, **kwargs):
    wrong = invalid_proxies(getattr(settings, "TRUSTED_PROXIES", []))
    return [
        Error(
            f"TRUSTED_PROXIES holds {entry!r}, which is not an IP address or network.",
            id="security.E001",
        )
        for entry in wrong
    ]


@register()
def check_csrf_cookie_readable(app_configs, **kwargs):
    """static/js/csrf-cookie.js reads the CSRF cookie to fill the cached product page's
    add-to-cart form (cms/pagecache.py): the cookie must exist and be readable by scripts."""
    if getattr(settings, "CSRF_COOKIE_HTTPONLY", False) or getattr(
        settings, "CSRF_USE_SESSIONS", False
    ):
        return [
            Error(
                "CSRF_COOKIE_HTTPONLY and CSRF_USE_SESSIONS must be False: cached pages' forms "
                "take their CSRF token from the cookie (static/js/csrf-cookie.js).",
                id="security.E002",
            )
        ]
    return []

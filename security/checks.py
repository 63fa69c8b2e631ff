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

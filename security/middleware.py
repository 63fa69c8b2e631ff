"""Content-Security-Policy on every response (django-csp), relaxed only for the Wagtail admin.

Our own pages run no inline script or style: `CONTENT_SECURITY_POLICY` allows scripts and styles
from this origin only. The Wagtail admin ships inline scripts and styles of its own, so under
`ADMIN_URL_PREFIX` the directives of `ADMIN_CONTENT_SECURITY_POLICY` replace those of the site
policy for that response only. When card payment is on, forms may lead to Stripe Checkout
(the checkout and "pay by card" posts answer with a redirect there, which `form-action` covers).
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

ADMIN_URL_PREFIX = "/admin/"
STRIPE_CHECKOUT = "https://checkout.stripe.com"


class CSPMiddleware(BaseCSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_URL_PREFIX):
            parts.replace = {**settings.ADMIN_CONTENT_SECURITY_POLICY, **(parts.replace or {})}
        if not report_only and settings.STRIPE_SECRET_KEY:
            parts.update = {**(parts.update or {}), "form-action": [STRIPE_CHECKOUT]}
        return parts

"""Payment methods behind one small interface: cash on delivery, VietQR transfer, Stripe.

`available_gateways()` lists what the checkout offers (card only when Stripe keys are set);
`get_gateway(code)` finds one. Every Stripe call is in `stripe_api.py`; its webhook handler
is `webhooks.py`.
"""

from __future__ import annotations

from storefront.payments.base import PaymentGateway
from storefront.payments.gateways import GATEWAYS


def available_gateways() -> list[PaymentGateway]:
    return [g for g in GATEWAYS if g.is_available()]


def get_gateway(code: str | None) -> PaymentGateway | None:
    for gateway in GATEWAYS:
        if gateway.code == code:
            return gateway
    return None


__all__ = ["PaymentGateway", "available_gateways", "get_gateway"]

"""The three payment methods the checkout offers: cash on delivery, VietQR transfer, Stripe.

`available_gateways()` lists what the checkout offers (card only when Stripe keys are set,
transfer only when the site settings hold a bank account); `get_gateway(code)` finds one.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cms.site_settings import site_settings
from storefront.emails import send_order_email_later
from storefront.models import OrderStatus, Payment, PaymentMethodCode, PaymentStatus
from storefront.orders import set_status
from storefront.payments import stripe_api
from storefront.payments.base import PaymentError, PaymentGateway

if TYPE_CHECKING:
    from django.http import HttpRequest

    from storefront.models import Order

# Stripe refuses a Checkout Session that expires sooner than 30 minutes from its creation.
STRIPE_MIN_SESSION_MINUTES = 31


class CashOnDelivery(PaymentGateway):
    code = PaymentMethodCode.COD
    label = _("Cash on delivery")
    description = _("Pay the courier in cash when each parcel arrives.")

    def on_placed(self, order: Order) -> None:
        Payment.objects.create(order=order, method=self.code, amount=order.total)
        set_status(order, OrderStatus.PROCESSING, note=gettext("Cash on delivery"), notify=False)
        send_order_email_later(order, "confirmation")


class VietQRTransfer(PaymentGateway):
    code = PaymentMethodCode.VIETQR
    label = _("Bank transfer (VietQR)")
    description = _("Scan the QR code with your banking app; we ship once the money arrives.")
    hold_minutes = 3 * 24 * 60

    def is_available(self) -> bool:
        settings_obj = site_settings()
        return bool(settings_obj and settings_obj.bank_bin and settings_obj.bank_account_number)

    def on_placed(self, order: Order) -> None:
        Payment.objects.create(order=order, method=self.code, amount=order.total)
        send_order_email_later(order, "confirmation")


class StripeCard(PaymentGateway):
    code = PaymentMethodCode.STRIPE
    label = _("Card")
    description = _("Pay by card on Stripe's secure page.")
    hold_minutes = 60

    def is_available(self) -> bool:
        return stripe_api.is_configured()

    def start(self, order: Order, request: HttpRequest) -> str:
        """Open a Checkout Session for what is still owed; the webhook alone marks it paid."""
        if order.status != OrderStatus.PENDING_PAYMENT:
            return order.get_absolute_url()
        now = timezone.now()
        if order.expires_at is None or order.expires_at < now + dt.timedelta(
            minutes=STRIPE_MIN_SESSION_MINUTES
        ):
            order.expires_at = now + dt.timedelta(minutes=self.hold_minutes)
            order.save(update_fields=["expires_at"])
        items = [
            {
                "name": f"{line.product_title} – {line.variant_name}",
                "unit_amount": line.unit_price,
                "quantity": line.quantity,
            }
            for line in order.lines.all()
        ]
        if order.shipping_fee:
            items.append(
                {"name": gettext("Shipping"), "unit_amount": order.shipping_fee, "quantity": 1}
            )
        attempt = order.payments.filter(method=self.code).count() + 1
        order_url = request.build_absolute_uri(order.get_absolute_url())
        try:
            session = stripe_api.create_checkout_session(
                reference=order.reference,
                line_items=items,
                customer_email=order.email,
                success_url=order_url + "?returned=1",
                cancel_url=order_url,
                expires_at=order.expires_at,
                locale=order.language,
                idempotency_key=f"checkout-{order.reference}-{attempt}",
            )
        except Exception as exc:  # network, Stripe refusing…: the order waits for a retry
            raise PaymentError(
                gettext("The card payment page could not be opened. Please try again.")
            ) from exc
        Payment.objects.create(
            order=order,
            method=self.code,
            amount=order.total,
            status=PaymentStatus.PENDING,
            provider_reference=session.id,
            checkout_url=session.url,
        )
        return session.url


GATEWAYS: list[PaymentGateway] = [StripeCard(), CashOnDelivery(), VietQRTransfer()]


def available_gateways() -> list[PaymentGateway]:
    return [g for g in GATEWAYS if g.is_available()]


def get_gateway(code: str | None) -> PaymentGateway | None:
    for gateway in GATEWAYS:
        if gateway.code == code:
            return gateway
    return None

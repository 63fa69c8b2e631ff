"""The interface every payment method implements."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest

    from storefront.models import Order


class PaymentError(Exception):
    """Payment could not be started; the message is safe to show the shopper."""


class PaymentGateway:
    """A way to pay. Subclasses set `code`/`label` and override what they need.

    - `hold_minutes`: how long an unpaid order keeps its stock (None: until cancelled).
    - `on_placed(order)`: runs inside the checkout transaction (e.g. COD confirms the order).
    - `start(order, request)`: after commit, the URL to send the shopper to next.
    """

    code: str = ""
    label = ""
    description = ""
    hold_minutes: int | None = None

    def is_available(self) -> bool:
        return True

    def on_placed(self, order: Order) -> None:
        return None

    def start(self, order: Order, request: HttpRequest) -> str:
        return order.get_absolute_url()

"""Order history writes (a leaf, like Saleor's `order/events.py`): anything may import it.

`record_event` appends an `OrderEvent` that does not move the order's status (payments, notes,
e-mails sent); status moves go through `storefront.orders.set_status`, which appends its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storefront.models import Order, OrderEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser


def record_event(
    order: Order, kind: str, note: str = "", user: AbstractUser | None = None
) -> OrderEvent:
    return OrderEvent.objects.create(
        order=order,
        kind=kind,
        note=note[:500],
        user=user if user is not None and getattr(user, "is_authenticated", False) else None,
        from_status=order.status,
        to_status=order.status,
    )

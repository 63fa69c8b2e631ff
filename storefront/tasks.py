"""Background tasks (django-tasks), listed in one place: webhook processing, e-mails, releasing
unpaid stock. Each task sits next to the code it runs (so enqueuing one imports nothing above
it); this module only gathers them, and nothing in the app imports it."""

from __future__ import annotations

from django_tasks import task

from storefront.emails import send_order_email
from storefront.payments.webhooks import process_stripe_event

__all__ = ["process_stripe_event", "release_expired_orders", "send_order_email"]


@task()
def release_expired_orders() -> int:
    from storefront.orders import release_expired_orders as release

    return release()

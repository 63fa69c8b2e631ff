"""Background tasks (django-tasks): webhook processing, e-mails, releasing unpaid stock."""

from __future__ import annotations

from django_tasks import task


@task()
def process_stripe_event(stored_pk: int) -> None:
    from storefront.payments.webhooks import process

    process(stored_pk)


@task()
def send_order_email(order_id: int, kind: str, fulfilment_id: int | None = None) -> None:
    from storefront.emails import send_order_email as send

    send(order_id, kind, fulfilment_id=fulfilment_id)


@task()
def release_expired_orders() -> int:
    from storefront.orders import release_expired_orders as release

    return release()

"""E-mails to the shopper, in the language they shopped in, sent after commit."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from storefront.events import record_event
from storefront.models import Fulfilment, Order

KINDS = {"confirmation", "shipped", "cancelled", "refunded"}


def send_order_email_later(order: Order, kind: str, fulfilment_id: int | None = None) -> None:
    order_id = order.pk
    transaction.on_commit(lambda: send_order_email.enqueue(order_id, kind, fulfilment_id))


def render_order_email(
    order: Order, kind: str, fulfilment: Fulfilment | None = None
) -> tuple[str, str]:
    """(subject, body) rendered under the order's language."""
    if kind not in KINDS:
        raise ValueError(kind)
    with translation.override(order.language):
        context = {
            "order": order,
            "lines": list(order.lines.all()),
            "fulfilment": fulfilment,
            "order_url": settings.SITE_URL + order.get_absolute_url(),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = render_to_string(f"emails/order_{kind}_subject.txt", context)
        body = render_to_string(f"emails/order_{kind}.txt", context)
    return " ".join(subject.split()), body


@task()
def send_order_email(order_id: int, kind: str, fulfilment_id: int | None = None) -> None:
    order = Order.objects.filter(pk=order_id).first()
    if order is None or not order.email:
        return
    fulfilment = (
        Fulfilment.objects.select_related("producer").filter(pk=fulfilment_id).first()
        if fulfilment_id
        else None
    )
    subject, body = render_order_email(order, kind, fulfilment)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [order.email]).send()
    record_event(order, f"email_{kind}", subject)

"""E-mails after commit: to the shopper in the language they shopped in (each status change),
and to each producer's editors, in the language each chose, when a parcel is theirs to pack."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from storefront.events import record_event
from storefront.models import Fulfilment, Order

KINDS = {"confirmation", "shipped", "cancelled", "refunded", "status"}


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


# --- Producers: a parcel to pack ---------------------------------------------------------------


def send_fulfilment_notices_later(order: Order) -> None:
    order_id = order.pk
    transaction.on_commit(lambda: send_fulfilment_notices.enqueue(order_id))


def recipient_language(user) -> str:
    """The admin language the user chose in Wagtail, else the site's (Vietnamese)."""
    from wagtail.users.models import UserProfile

    return UserProfile.get_for_user(user).get_preferred_language() or settings.LANGUAGE_CODE


def render_fulfilment_notice(fulfilment: Fulfilment, language: str) -> tuple[str, str]:
    from django.urls import reverse

    with translation.override(language):
        context = {
            "order": fulfilment.order,
            "fulfilment": fulfilment,
            "lines": list(fulfilment.lines.all()),
            "admin_url": settings.SITE_URL
            + reverse("storefront_fulfilments:edit", args=[fulfilment.pk]),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = render_to_string("emails/fulfilment_new_subject.txt", context)
        body = render_to_string("emails/fulfilment_new.txt", context)
    return " ".join(subject.split()), body


@task()
def send_fulfilment_notices(order_id: int) -> int:
    """One e-mail per editor of each producer with a parcel in the order; returns the count."""
    from django.contrib.auth import get_user_model

    sent = 0
    parts = Fulfilment.objects.filter(order_id=order_id).select_related("producer", "order")
    for fulfilment in parts:
        group_id = fulfilment.producer.editors_group_id
        if group_id is None:
            continue
        editors = get_user_model().objects.filter(groups=group_id, is_active=True).exclude(email="")
        for editor in editors:
            subject, body = render_fulfilment_notice(fulfilment, recipient_language(editor))
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [editor.email]).send()
            sent += 1
        if editors:
            record_event(fulfilment.order, "email_producer", str(fulfilment.producer))
    return sent

"""The e-mailed link, in the language the shopper asked in."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from accounts.links import link_max_age, link_url
from accounts.models import EmailLink, LinkPurpose


def send_link_email(link_id: int, token: str) -> None:
    link = EmailLink.objects.filter(pk=link_id, used_at__isnull=True).first()
    if link is None:
        return
    with translation.override(link.language):
        context = {
            "url": link_url(link, token),
            "minutes": link_max_age() // 60,
            "verify": link.purpose == LinkPurpose.VERIFY,
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = " ".join(render_to_string("emails/account_link_subject.txt", context).split())
        body = render_to_string("emails/account_link.txt", context)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [link.email]).send()

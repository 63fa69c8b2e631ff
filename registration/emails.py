"""E-mails of a producer registration, in the applicant's language (run as tasks).

- "received": the applicant gets a confirmation with the status link; the OCOP office a notice.
- "approved": the applicant gets their user name and a one-time link to set a password (Django's
  password-reset token: valid PASSWORD_RESET_TIMEOUT, void once a password is set). Never a
  password.
- "rejected": the applicant gets the officer's reason.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from registration.models import ProducerRequest


def set_password_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("wagtailadmin_password_reset_confirm", args=[uid, token])


def _editor(request: ProducerRequest):
    producer = request.producer
    if producer is None or producer.editors_group is None:
        return None
    return producer.editors_group.user_set.filter(email=request.email).order_by("pk").first()


def _received(request: ProducerRequest, status_url: str) -> tuple[str, list[str]]:
    subject = _("We received your registration: %(name)s") % {"name": request.name}
    lines = [
        _("Hello %(contact)s,") % {"contact": request.contact_name},
        "",
        _(
            "Thank you: we received the application of %(name)s (tax code %(tax_code)s) to "
            "sell OCOP products on this site. An OCOP officer will verify it and write to you."
        )
        % {"name": request.name, "tax_code": request.tax_code},
        "",
        _("Follow your application here (keep this link private): %(url)s") % {"url": status_url},
    ]
    return subject, lines


def _approved(request: ProducerRequest, status_url: str) -> tuple[str, list[str]]:
    subject = _("Your registration is approved: %(name)s") % {"name": request.name}
    lines = [
        _("Hello %(contact)s,") % {"contact": request.contact_name},
        "",
        _("An OCOP officer verified %(name)s: your producer page and your account are ready.")
        % {"name": request.name},
    ]
    editor = _editor(request)
    if editor is not None:
        lines += [
            "",
            _("Your user name: %(username)s") % {"username": editor.get_username()},
            _(
                "Choose your password here (the link works once and expires in %(days)s days): %(url)s"
            )
            % {
                "url": set_password_url(editor),
                "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
            },
            _("Then sign in at %(url)s")
            % {"url": settings.SITE_URL + reverse("wagtailadmin_login")},
        ]
    lines += ["", _("Your application: %(url)s") % {"url": status_url}]
    return subject, lines


def _rejected(request: ProducerRequest, status_url: str) -> tuple[str, list[str]]:
    subject = _("Your registration was not approved: %(name)s") % {"name": request.name}
    lines = [
        _("Hello %(contact)s,") % {"contact": request.contact_name},
        "",
        _("An OCOP officer could not approve the application of %(name)s, for this reason:")
        % {"name": request.name},
        "",
        request.reason,
        "",
        _("You may correct it and apply again. Your application: %(url)s") % {"url": status_url},
    ]
    return subject, lines


BUILDERS = {"received": _received, "approved": _approved, "rejected": _rejected}


def _office_notice(request: ProducerRequest) -> None:
    if not settings.OCOP_OFFICER_EMAIL:
        return
    admin_url = settings.SITE_URL + reverse("registration_decide", args=[request.pk])
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New producer registration: %(name)s") % {"name": request.name}
        body = "\n".join(
            [
                _("A producer applied to join the site."),
                f"{request.name} – {request.get_kind_display()} – {request.tax_code}",
                request.address,
                "",
                _("Verify it here: %(url)s") % {"url": admin_url},
            ]
        )
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [settings.OCOP_OFFICER_EMAIL]).send()


def send_registration_email(request_id: int, kind: str) -> int:
    """Send one e-mail of the registration (the background task); returns how many were sent."""
    request = ProducerRequest.objects.select_related("producer").filter(pk=request_id).first()
    if request is None or kind not in BUILDERS:
        return 0
    with translation.override(request.language):
        status_url = settings.SITE_URL + request.get_absolute_url()
        subject, lines = BUILDERS[kind](request, status_url)
        body = "\n".join(str(line) for line in lines)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [request.email]).send()
    sent = 1
    if kind == "received" and settings.OCOP_OFFICER_EMAIL:
        _office_notice(request)
        sent += 1
    return sent

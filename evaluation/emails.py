"""E-mails of the evaluation steps (run as a task after commit), each in its reader's language.

Who hears of what:
- submitted: the officers (the office address and every member of "OCOP officers");
- returned, accepted, certified / proposed / rejected, withdrawn: the producer's editors
  (and its own address), officers for decisions;
- accepted: the round's council members (a new application to score);
- all sheets in: the chair (close the scoring and record the decision).
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from catalog.scoping import OFFICERS_GROUP
from evaluation.models import OcopApplication, Status


def _language(user) -> str:
    try:
        from wagtail.users.models import UserProfile

        language = UserProfile.get_for_user(user).get_preferred_language()
    except Exception:  # no profile yet
        language = ""
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def _users_emails(users) -> list[tuple[str, str]]:
    return [(u.email, _language(u)) for u in users if u.email and u.is_active]


def recipients(application: OcopApplication, step: str, status: str) -> list[tuple[str, str]]:
    """(address, language) pairs for one step."""
    User = get_user_model()
    producer = application.product.producer
    editors: list[tuple[str, str]] = []
    if producer is not None:
        if producer.email:
            editors.append((producer.email, settings.LANGUAGE_CODE))
        if producer.editors_group_id:
            editors += _users_emails(producer.editors_group.user_set.all())
    officers = _users_emails(User.objects.filter(groups__name=OFFICERS_GROUP))
    if settings.OCOP_OFFICER_EMAIL:
        officers.append((settings.OCOP_OFFICER_EMAIL, settings.LANGUAGE_CODE))
    council: list[tuple[str, str]] = []
    chair: list[tuple[str, str]] = []
    if application.round_id:
        council = _users_emails(User.objects.filter(pk__in=application.round.member_ids()))
        chair = _users_emails([application.round.chair])
    found: list[tuple[str, str]] = []
    if step == "submit":
        found = officers
    elif step in ("return_", "withdraw"):
        found = editors + (officers if step == "withdraw" else [])
    elif step == "accept":
        found = editors + council
    elif step == "all_scored":
        found = chair
    elif step in ("certify", "propose_central", "reject"):
        found = editors + officers
    seen: dict[str, str] = {}
    for address, language in found:
        seen.setdefault(address.lower(), language)
    return sorted(seen.items())


def _message(application: OcopApplication, step: str, status: str) -> tuple[str, str]:
    product = application.product.title
    url = settings.SITE_URL + reverse("evaluation:detail", args=[application.pk])
    subjects = {
        "submit": _("OCOP application submitted: %(product)s"),
        "withdraw": _("OCOP application withdrawn: %(product)s"),
        "return_": _("Your OCOP application for %(product)s was returned"),
        "accept": _("OCOP application accepted for council scoring: %(product)s"),
        "all_scored": _("Every council sheet is in: %(product)s"),
        "certify": _("OCOP decision: %(product)s is certified"),
        "propose_central": _("OCOP decision: %(product)s is proposed to central level"),
        "reject": _("OCOP decision: %(product)s is not recognised"),
    }
    subject = subjects.get(step, _("OCOP application: %(product)s")) % {"product": product}
    lines = [
        subject,
        "",
        _("Status: %(status)s") % {"status": Status(status).label},
    ]
    if step == "return_" and application.officer_comment:
        lines += [_("Officer's comments:"), application.officer_comment]
    if step in ("certify", "propose_central", "reject"):
        decision = application.decisions.first()
        if decision is not None:
            lines.append(
                _("Council result: %(total)s/100 (%(stars)s★)")
                % {"total": decision.total.normalize(), "stars": decision.stars}
            )
        if application.council_comment:
            lines += [_("Council's comments:"), application.council_comment]
    if step == "all_scored":
        lines.append(_("Close the scoring and record the decision."))
    lines += ["", _("Open the application: %(url)s") % {"url": url}]
    return subject, "\n".join(lines)


def send_step_emails(application_id: int, step: str, status: str) -> int:
    application = (
        OcopApplication.objects.select_related("product", "round__chair")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return 0
    by_language: dict[str, list[str]] = defaultdict(list)
    for address, language in recipients(application, step, status):
        by_language[language].append(address)
    sent = 0
    for language, addresses in sorted(by_language.items()):
        with translation.override(language):
            subject, body = _message(application, step, status)
        # One message per language, addresses hidden from each other.
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, bcc=addresses).send()
        sent += len(addresses)
    return sent

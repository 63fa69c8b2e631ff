"""E-mail of a new problem report to the OCOP office and the producer (run as a task)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from traceability.models import ProblemReport, ProblemReportEvent


def report_recipients(report: ProblemReport) -> list[str]:
    """The OCOP office and the producer (its own address and its editors')."""
    recipients: list[str] = []
    if settings.OCOP_OFFICER_EMAIL:
        recipients.append(settings.OCOP_OFFICER_EMAIL)
    producer = report.batch.variant.page.producer
    if producer is not None:
        if producer.email:
            recipients.append(producer.email)
        if producer.editors_group_id:
            recipients += list(
                producer.editors_group.user_set.filter(is_active=True)
                .exclude(email="")
                .values_list("email", flat=True)
            )
    return sorted(set(recipients))


def send_report_emails(report_id: int) -> int:
    """Send the report to its recipients (the background task); returns how many received it."""
    report = (
        ProblemReport.objects.select_related("batch__variant__page__producer")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        return 0
    recipients = report_recipients(report)
    if not recipients:
        ProblemReportEvent.objects.create(
            report=report, kind="email_skipped", note="no recipient configured"
        )
        return 0
    page = report.batch.variant.page
    admin_url = settings.SITE_URL + reverse("traceability_problemreport:edit", args=[report.pk])
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Problem report on %(product)s, lot %(lot)s") % {
            "product": page.title,
            "lot": report.batch.lot_code,
        }
        lines = [
            _("A consumer reported a problem."),
            "",
            _("Product: %(product)s – %(variant)s")
            % {
                "product": page.title,
                "variant": report.batch.variant.name,
            },
            _("Lot: %(lot)s") % {"lot": report.batch.lot_code},
        ]
        if report.serial:
            lines.append(_("Unit serial: %(serial)s") % {"serial": report.serial})
        lines += [
            _("Received: %(when)s")
            % {"when": timezone.localtime(report.created_at).strftime("%d/%m/%Y %H:%M")},
            _("Contact: %(contact)s") % {"contact": report.contact or "—"},
            "",
            report.message,
            "",
            _("Review and answer it here: %(url)s") % {"url": admin_url},
        ]
    EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, recipients).send()
    ProblemReportEvent.objects.create(
        report=report, kind="emailed", note=", ".join(recipients)[:500]
    )
    return len(recipients)

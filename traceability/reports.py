"""Problem reports from consumers: received, e-mailed, reviewed, answered, closed.

- `submit_report()` records the report and, after commit, queues one background task
  (`report_emails.send_report_emails`) that e-mails it to the OCOP office (`OCOP_OFFICER_EMAIL`) and the producer (its e-mail and its
  editors'). The reporter gets the report's unguessable follow-up link at once.
- `set_report_status()` is the one way a status changes (`REPORT_TRANSITIONS`); an illegal move
  raises `IllegalReportTransition`. Each change and each answer appends a `ProblemReportEvent`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from traceability.models import Batch, ProblemReport, ProblemReportEvent, ProblemReportStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

R = ProblemReportStatus

# from → the statuses it may move to. A closed report can be reopened for review.
REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    R.NEW: frozenset({R.IN_REVIEW, R.ANSWERED, R.CLOSED}),
    R.IN_REVIEW: frozenset({R.ANSWERED, R.CLOSED}),
    R.ANSWERED: frozenset({R.IN_REVIEW, R.CLOSED}),
    R.CLOSED: frozenset({R.IN_REVIEW}),
}


class IllegalReportTransition(Exception):
    """A report was asked to move to a status its current one cannot reach."""

    def __init__(self, current: str, wanted: str):
        self.current, self.wanted = current, wanted
        super().__init__(f"{current} → {wanted}")

    @property
    def message(self) -> str:
        return _("A report that is “%(current)s” cannot become “%(wanted)s”.") % {
            "current": _label(self.current),
            "wanted": _label(self.wanted),
        }


class ReportAnswerMissing(Exception):
    """A report cannot be marked answered without an answer the reporter can read."""

    message = property(lambda self: _("Write the answer before marking the report answered."))


def _label(status: str) -> str:
    return str(R(status).label) if status in R.values else status


def _user(user: AbstractUser | None) -> AbstractUser | None:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def can_move(report: ProblemReport, status: str) -> bool:
    return status in REPORT_TRANSITIONS.get(report.status, frozenset())


def submit_report(batch: Batch, message: str, contact: str = "", serial: str = "") -> ProblemReport:
    """Record a consumer's report and e-mail it to the OCOP office and the producer."""
    report = ProblemReport(
        batch=batch, message=message.strip(), contact=contact.strip(), serial=serial
    )
    report.full_clean()
    with transaction.atomic():
        report.save()
        ProblemReportEvent.objects.create(report=report, kind="received", to_status=report.status)
        report_id = report.pk
        transaction.on_commit(lambda: _enqueue_emails(report_id))
    return report


def _enqueue_emails(report_id: int) -> None:
    from traceability.tasks import send_problem_report_emails

    send_problem_report_emails.enqueue(report_id)


def set_report_status(
    report: ProblemReport,
    status: str,
    *,
    user: AbstractUser | None = None,
    answer: str | None = None,
) -> ProblemReport:
    """Change the answer and/or the status, under a row lock; record each change.

    Steps: (1) lock the row; (2) store a changed answer (event "answer"); (3) refuse
    "answered" without an answer; (4) move along `REPORT_TRANSITIONS` (event "status").
    """
    with transaction.atomic():
        locked = ProblemReport.objects.select_for_update().get(pk=report.pk)
        if answer is not None and answer.strip() != locked.answer:
            locked.answer = answer.strip()
            locked.answered_at = timezone.now() if locked.answer else None
            locked.save(update_fields=["answer", "answered_at"])
            ProblemReportEvent.objects.create(
                report=locked,
                kind="answer",
                from_status=locked.status,
                to_status=locked.status,
                note=locked.answer[:500],
                user=_user(user),
            )
        if status != locked.status:
            if not can_move(locked, status):
                raise IllegalReportTransition(locked.status, status)
            if status == R.ANSWERED and not locked.answer:
                raise ReportAnswerMissing
            old = locked.status
            locked.status = status
            locked.save(update_fields=["status"])
            ProblemReportEvent.objects.create(
                report=locked, kind="status", from_status=old, to_status=status, user=_user(user)
            )
    return locked

"""Background tasks (django-tasks) of the traceability app."""

from __future__ import annotations

from django_tasks import task


@task()
def send_problem_report_emails(report_id: int) -> int:
    from traceability.report_emails import send_report_emails

    return send_report_emails(report_id)

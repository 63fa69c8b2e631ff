"""Background tasks (django-tasks) of the evaluation app."""

from __future__ import annotations

from django_tasks import task


@task()
def send_evaluation_emails(application_id: int, step: str, status: str) -> int:
    from evaluation.emails import send_step_emails

    return send_step_emails(application_id, step, status)

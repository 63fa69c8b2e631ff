"""Background tasks (django-tasks): the sign-in and verification e-mails."""

from __future__ import annotations

from django_tasks import task


@task()
def send_link_email(link_id: int, token: str) -> None:
    from accounts.emails import send_link_email as send

    send(link_id, token)

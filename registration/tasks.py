"""Background tasks (django-tasks) of the registration app."""

from __future__ import annotations

from django_tasks import task


@task()
def send_registration_email(request_id: int, kind: str) -> int:
    from registration.emails import send_registration_email as send

    return send(request_id, kind)

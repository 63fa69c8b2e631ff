"""Sign-in lockout (django-axes): what is locked, unlocking it, the lockout page.

Axes counts failed sign-ins per account and per address (`AXES_LOCKOUT_PARAMETERS`) in
`axes.AccessAttempt`; past `AXES_FAILURE_LIMIT` failures within `AXES_COOLOFF_TIME` the account
or the address is refused even with the right password. Officers lift a lock early from the
admin (Settings → Sign-in locks) or with `manage.py axes_reset_username` / `axes_reset_ip`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

ACCOUNT = "account"
ADDRESS = "address"


@dataclass(frozen=True)
class Lock:
    kind: str  # ACCOUNT or ADDRESS
    value: str
    failures: int
    last_failure: datetime
    until: datetime | None


def _cooloff() -> timedelta | None:
    value = settings.AXES_COOLOFF_TIME
    return timedelta(hours=value) if isinstance(value, int | float) else value


def locks() -> list[Lock]:
    """Accounts and addresses that are locked now, newest failure first."""
    cooloff = _cooloff()
    attempts = AccessAttempt.objects.all()
    if cooloff is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cooloff)
    found: list[Lock] = []
    for kind, field in ((ACCOUNT, "username"), (ADDRESS, "ip_address")):
        rows = (
            attempts.filter(**{f"{field}__isnull": False})
            .values(field)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        )
        found += [
            Lock(
                kind=kind,
                value=row[field],
                failures=row["failures"],
                last_failure=row["last"],
                until=row["last"] + cooloff if cooloff is not None else None,
            )
            for row in rows
            if row[field]
        ]
    return sorted(found, key=lambda lock: lock.last_failure, reverse=True)


def unlock(kind: str, value: str) -> int:
    """Forget the failed sign-ins of an account or an address; returns how many records went."""
    if kind == ACCOUNT:
        return reset(username=value)
    if kind == ADDRESS:
        return reset(ip=value)
    raise ValueError(kind)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """`AXES_LOCKOUT_CALLABLE`: the translated lockout page, HTTP 429."""
    cooloff = _cooloff()
    minutes = int(cooloff.total_seconds() // 60) if cooloff is not None else None
    return render(
        request,
        "security/lockout.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        status=429,
    )

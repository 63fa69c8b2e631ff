"""Domain actions of the traceability app: status changes, events, serials, scans (reports: reports.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import ProductPage
from cms import audit
from security import throttle
from traceability.codes import SERIAL_LENGTH, random_code
from traceability.models import (
    Batch,
    BatchStatus,
    BatchStatusEvent,
    Scan,
    Serial,
    TraceEvent,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

# --- Status -----------------------------------------------------------------------------------

# from → allowed targets. A recall can be lifted (e.g. the lab result was a false alarm),
# which leaves both changes in the batch's history.
BATCH_TRANSITIONS: dict[str, set[str]] = {
    BatchStatus.ACTIVE: {BatchStatus.RECALLED},
    BatchStatus.RECALLED: {BatchStatus.ACTIVE},
}


class InvalidBatchTransition(Exception):
    """The batch cannot move from its current status to the one asked for."""


@transaction.atomic
def set_batch_status(
    batch: Batch, status: str, reason: str = "", user: AbstractUser | None = None
) -> BatchStatusEvent:
    locked = Batch.objects.select_for_update().get(pk=batch.pk)
    if status not in BATCH_TRANSITIONS.get(locked.status, set()):
        raise InvalidBatchTransition(f"A batch cannot go from {locked.status!r} to {status!r}.")
    if status == BatchStatus.RECALLED and not reason.strip():
        raise InvalidBatchTransition("A recall needs a reason that consumers will read.")
    event = BatchStatusEvent.objects.create(
        batch=locked, from_status=locked.status, to_status=status, reason=reason, user=user
    )
    Batch.objects.filter(pk=batch.pk).update(status=status, status_reason=reason)
    audit.record(
        locked,
        "ocop.batch.status",
        user=user,
        data={"old": locked.status, "new": status, "note": reason},
    )
    batch.status, batch.status_reason = status, reason
    return event


# --- Events -----------------------------------------------------------------------------------


def record_event(
    batch: Batch,
    *,
    kind: str,
    place: str,
    actor: str,
    occurred_at=None,
    description: str = "",
    corrects: TraceEvent | None = None,
    user: AbstractUser | None = None,
    **fields: Any,
) -> TraceEvent:
    event = TraceEvent(
        batch=batch,
        kind=kind,
        place=place,
        actor=actor,
        occurred_at=occurred_at or timezone.now(),
        description=description,
        corrects=corrects,
        recorded_by=user,
        **fields,
    )
    event.full_clean()
    event.save()
    audit.record(
        event, "ocop.trace_event", user=user, data={"note": f"{kind}: {place} ({actor})"[:200]}
    )
    return event


# --- Serials ----------------------------------------------------------------------------------

MAX_SERIALS_PER_CALL = 100_000


def generate_serials(batch: Batch, count: int, length: int = SERIAL_LENGTH) -> list[Serial]:
    """Create `count` new random serials for a batch (in chunks; collisions are redrawn)."""
    if not 1 <= count <= MAX_SERIALS_PER_CALL:
        raise ValueError(f"Generate between 1 and {MAX_SERIALS_PER_CALL} serials at once.")
    existing = set(Serial.objects.filter(batch=batch).values_list("serial", flat=True))
    fresh: list[str] = []
    while len(fresh) < count:
        code = random_code(length)
        if code not in existing:
            existing.add(code)
            fresh.append(code)
    created: list[Serial] = []
    with transaction.atomic():
        for start in range(0, count, 2000):
            created += Serial.objects.bulk_create(
                [Serial(batch=batch, serial=s) for s in fresh[start : start + 2000]]
            )
    return created


# --- Scans ------------------------------------------------------------------------------------

SUSPICIOUS_SCAN_COUNT = 10  # a real unit is scanned a handful of times, a copied code many


@dataclass
class ScanResult:
    serial: Serial | None
    counted: bool
    first_scan: bool
    scan_id: int | None = None

    @property
    def suspicious(self) -> bool:
        return self.serial is None or self.serial.scan_count > SUSPICIOUS_SCAN_COUNT


def _client_hash(ip: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()[:16]


def _coordinate(value: Any, limit: int) -> Decimal | None:
    """A latitude/longitude within ±limit, or None for anything else (NaN, ±inf, 1e999, text)."""
    try:
        text = str(value).strip()
        if len(text) > 40:
            return None
        number = Decimal(text)
        if not number.is_finite() or not -limit <= number <= limit:
            return None
        return number.quantize(Decimal("0.0001"))
    except (ArithmeticError, ValueError, TypeError):
        return None


def record_scan(
    batch: Batch,
    serial_code: str,
    *,
    ip: str,
    user_agent: str = "",
    latitude: Any = None,
    longitude: Any = None,
) -> ScanResult:
    """Count a scan of a per-unit code, unless this IP scanned this code, or any code, too often
    lately (the "scan-code" and "scan" limits of security.throttle).

    The counter update is a single UPDATE … SET scan_count = scan_count + 1, so concurrent
    scans never lose a count.
    """
    serial = Serial.objects.filter(batch=batch, serial=serial_code).first()
    if serial is None:
        return ScanResult(serial=None, counted=False, first_scan=False)
    if not (
        throttle.hit_address("scan-code", ip, str(serial.pk)) and throttle.hit_address("scan", ip)
    ):
        return ScanResult(serial=serial, counted=False, first_scan=False)
    now = timezone.now()
    Serial.objects.filter(pk=serial.pk).update(
        scan_count=models.F("scan_count") + 1, last_scanned_at=now
    )
    first = bool(
        Serial.objects.filter(pk=serial.pk, first_scanned_at__isnull=True).update(
            first_scanned_at=now
        )
    )
    lat, lon = _coordinate(latitude, 90), _coordinate(longitude, 180)
    scan = Scan.objects.create(
        batch=batch,
        serial=serial,
        scanned_at=now,
        user_agent=user_agent[:300],
        client_hash=_client_hash(ip),
        latitude=lat if lon is not None else None,
        longitude=lon if lat is not None else None,
    )
    serial.refresh_from_db(fields=["scan_count", "first_scanned_at", "last_scanned_at"])
    return ScanResult(serial=serial, counted=True, first_scan=first, scan_id=scan.pk)


LOCATION_SHARE_WINDOW = dt.timedelta(hours=1)


def attach_scan_location(scan_id: int, latitude: Any, longitude: Any) -> bool:
    """Add the location a consumer agreed to share to their own, recent scan (once).

    The scan id reaches the browser only signed (see views.share_location), so nobody can
    place other people's scans; a scan older than an hour or already located is left alone.
    """
    lat, lon = _coordinate(latitude, 90), _coordinate(longitude, 180)
    if lat is None or lon is None:
        return False
    return bool(
        Scan.objects.filter(
            pk=scan_id,
            latitude__isnull=True,
            scanned_at__gte=timezone.now() - LOCATION_SHARE_WINDOW,
        ).update(latitude=lat, longitude=lon)
    )


def scan_summary(batch: Batch) -> dict[str, Any]:
    """Figures for the producer: how many units were scanned, how often, which look copied."""
    serials = Serial.objects.filter(batch=batch)
    totals = serials.aggregate(
        units=models.Count("pk"),
        scanned=models.Count("pk", filter=models.Q(scan_count__gt=0)),
        scans=models.Sum("scan_count"),
    )
    return {
        **totals,
        "scans": totals["scans"] or 0,
        "suspicious": list(
            serials.filter(scan_count__gt=SUSPICIOUS_SCAN_COUNT).order_by("-scan_count")[:50]
        ),
        "recent": list(
            Scan.objects.filter(batch=batch).select_related("serial").order_by("-scanned_at")[:50]
        ),
    }


# --- Look-ups ---------------------------------------------------------------------------------


def batch_by_short_code(code: str, queryset: models.QuerySet[Batch] | None = None) -> Batch | None:
    """The batch with this short code (forgiving O/0, I/L/1 and case), among `queryset`."""
    code = (code or "").strip().upper().replace("O", "0").replace("I", "1").replace("L", "1")
    if not code:
        return None
    return (Batch.objects.all() if queryset is None else queryset).filter(short_code=code).first()


def public_batches() -> models.QuerySet[Batch]:
    """The one rule for what the public sees of a batch (resolver, /q/, scan pages, EPCIS).

    A batch is public while its product's source (Vietnamese) page is live and not behind a
    view restriction. A product that was never published, or was withdrawn (unpublished by an
    officer, by a revoked or expired certificate), shows nothing of its batches: every public
    endpoint answers 404, as for an unknown code. A recalled batch of a live product stays
    public, so the consumer reads the recall.
    """
    return Batch.objects.filter(variant__page__in=public_product_pages().values("pk"))


def public_product_pages() -> models.QuerySet[ProductPage]:
    """Product pages the public may see: live and not behind a view restriction."""
    return ProductPage.objects.live().public()


def public_batch_by_short_code(code: str) -> Batch | None:
    return batch_by_short_code(code, public_batches())


def unique_short_code_retry(batch: Batch, attempts: int = 5) -> Batch:
    """Save a new batch, drawing a new short code in the unlikely case of a collision."""
    for _attempt in range(attempts):
        try:
            with transaction.atomic():
                batch.save()
            return batch
        except IntegrityError:
            if Batch.objects.filter(short_code=batch.short_code).exists():
                batch.short_code = random_code()
                continue
            raise
    raise IntegrityError(str(_("Could not draw a unique short code.")))

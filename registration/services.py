"""Producer registration: submitted on the public site, verified by an officer.

- `submit_request()` stores a valid application (refusing a tax code that a producer or a
  pending application already has) and, after commit, e-mails the applicant a confirmation
  with the unguessable status link, and the OCOP office a notice.
- `approve_request()` / `reject_request()` are the only ways a status changes
  (`TRANSITIONS`); an illegal move raises `IllegalRegistrationTransition`. Each writes an
  audit entry (cms.audit: who, when, from → to) and, after commit, e-mails the applicant.
- Approval runs the existing onboarding (`catalog.services.create_producer`: producer, page,
  editors' group, collection, editor account). The editor never receives a password: the
  e-mail carries a one-time set-password link (Django's password-reset token).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Producer
from catalog.tax_codes import normalise_tax_code, tax_code_variants, validate_tax_code
from cms import audit
from registration.models import ProducerRequest, RequestStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

S = RequestStatus

# from → the statuses it may move to. A decision is final: a rejected producer applies again.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.APPROVED, S.REJECTED}),
    S.APPROVED: frozenset(),
    S.REJECTED: frozenset(),
}

ACTIONS = {
    S.PENDING: "ocop.registration.submit",
    S.APPROVED: "ocop.registration.approve",
    S.REJECTED: "ocop.registration.reject",
}


class IllegalRegistrationTransition(Exception):
    def __init__(self, current: str, wanted: str):
        self.current, self.wanted = current, wanted
        super().__init__(f"{current} → {wanted}")

    @property
    def message(self) -> str:
        return _("An application that is “%(current)s” cannot become “%(wanted)s”.") % {
            "current": S(self.current).label,
            "wanted": S(self.wanted).label,
        }


class DuplicateTaxCode(Exception):
    message = property(
        lambda self: _(
            "This tax code is already registered, or an application with it is waiting for "
            "verification. If this is your business, contact the OCOP office."
        )
    )


class ReasonMissing(Exception):
    message = property(lambda self: _("Write the reason: the applicant receives it by e-mail."))


def tax_code_taken(tax_code: str, *, exclude: ProducerRequest | None = None) -> bool:
    """A producer has this tax code, or a pending application does (either spelling)."""
    variants = tax_code_variants(tax_code)
    pending = ProducerRequest.objects.filter(tax_code__in=variants, status=S.PENDING)
    if exclude is not None:
        pending = pending.exclude(pk=exclude.pk)
    return Producer.objects.filter(tax_code__in=variants).exists() or pending.exists()


def can_move(request: ProducerRequest, status: str) -> bool:
    return status in TRANSITIONS.get(request.status, frozenset())


def _user(user: AbstractUser | None) -> AbstractUser | None:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _enqueue(request_id: int, kind: str) -> None:
    from registration.tasks import send_registration_email

    send_registration_email.enqueue(request_id, kind)


def submit_request(
    *,
    name: str,
    kind: str,
    tax_code: str,
    province_code: int,
    ward_code: int,
    contact_name: str,
    phone: str,
    email: str,
    street_address: str = "",
    language: str = "vi",
) -> ProducerRequest:
    """Store a producer's application; raises ValidationError or DuplicateTaxCode, storing
    nothing, when it is not acceptable."""
    validate_tax_code(tax_code)
    request = ProducerRequest(
        name=name.strip(),
        kind=kind,
        tax_code=normalise_tax_code(tax_code.strip()),
        province_code=province_code,
        ward_code=ward_code,
        street_address=street_address.strip(),
        contact_name=contact_name.strip(),
        phone=phone,
        email=email.strip(),
        language=language if language in ("vi", "en") else "vi",
    )
    request.full_clean(validate_constraints=False)
    _check_address(request)
    try:
        with transaction.atomic():
            if tax_code_taken(request.tax_code):
                raise DuplicateTaxCode
            request.save()
            audit.record(request, ACTIONS[S.PENDING], data={"note": f"→ {S.PENDING}"})
            transaction.on_commit(lambda: _enqueue(request.pk, "received"))
    except IntegrityError:  # a second pending application with this code won the race
        raise DuplicateTaxCode from None
    return request


def _check_address(request: ProducerRequest) -> None:
    from catalog.addresses import ward_in_province

    if not ward_in_province(request.ward_code, request.province_code):
        raise ValidationError(
            {"ward_code": _("This commune or ward is not in the chosen province.")}
        )


def _move(locked: ProducerRequest, status: str, user: AbstractUser | None) -> None:
    if not can_move(locked, status):
        raise IllegalRegistrationTransition(locked.status, status)
    old = locked.status
    locked.status = status
    locked.decided_at = timezone.now()
    locked.decided_by = _user(user)
    locked.save()
    audit.record(
        locked,
        ACTIONS[status],
        user=_user(user),
        data={"from": old, "to": status, "note": f"{old} → {status}"},
    )


def _free_username(tax_code: str) -> str:
    User = get_user_model()
    base = tax_code.replace("-", "")
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def approve_request(
    request: ProducerRequest, *, user: AbstractUser | None = None
) -> ProducerRequest:
    """Verify an application: onboard the producer and its editor account (the applicant).

    Steps: (1) lock the row; (2) check the move; (3) refuse a tax code a producer took since;
    (4) `create_producer`; (5) record the move; (6) after commit, e-mail the set-password link.
    """
    from catalog.services import create_producer

    with transaction.atomic():
        locked = ProducerRequest.objects.select_for_update().get(pk=request.pk)
        if not can_move(locked, S.APPROVED):
            raise IllegalRegistrationTransition(locked.status, S.APPROVED)
        if Producer.objects.filter(tax_code__in=tax_code_variants(locked.tax_code)).exists():
            raise DuplicateTaxCode
        onboarded = create_producer(
            editor_username=_free_username(locked.tax_code),
            editor_email=locked.email,
            name=locked.name,
            kind=locked.kind,
            tax_code=locked.tax_code,
            province_code=locked.province_code,
            ward_code=locked.ward_code,
            street_address=locked.street_address,
            representative=locked.contact_name,
            phone=locked.phone,
            email=locked.email,
        )
        locked.producer = onboarded.producer
        _move(locked, S.APPROVED, user)
        transaction.on_commit(lambda: _enqueue(locked.pk, "approved"))
    return locked


def reject_request(
    request: ProducerRequest, *, reason: str, user: AbstractUser | None = None
) -> ProducerRequest:
    """Refuse an application with a reason the applicant receives by e-mail."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonMissing
    with transaction.atomic():
        locked = ProducerRequest.objects.select_for_update().get(pk=request.pk)
        locked.reason = reason
        _move(locked, S.REJECTED, user)
        transaction.on_commit(lambda: _enqueue(locked.pk, "rejected"))
    return locked

"""Domain actions of the OCOP evaluation: one verb function per state change.

`TRANSITIONS[state][verb]` is the one table of what may happen next. Every verb checks it
through `_move()`, which raises `IllegalTransition` (nothing changes) or saves the new status,
appends an audit entry (who, when, from, to) and queues the e-mails of that step after commit.

    draft ──submit──▶ submitted ──accept──▶ in_council ──close_scoring──▶ scored ──decide──▶
      ▲                  │return                                              certified
      └──── returned ◀───┘ (submit again)                                      proposed_central
    draft/returned ──withdraw──▶ withdrawn                      scored ──reject──▶ rejected
    proposed_central ──accept (central round)──▶ in_council
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import Group
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.documents.models import Document

from catalog.models import Certificate, CriteriaSet, IssuingLevel, OcopGroup, ProductPage, today
from catalog.permissions import grant, is_officer, producers_for
from catalog.services import record_certificate
from cms import audit
from evaluation.models import (
    MANDATORY_DOCUMENTS,
    TWO_PLACES,
    ApplicationDocument,
    CouncilLevel,
    CouncilRound,
    Decision,
    DocumentKind,
    Kind,
    OcopApplication,
    Score,
    Scorecard,
    Status,
)
from evaluation.sheets import sheet_for, validate_points

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

S = Status
COUNCIL_GROUP = "OCOP council members"

# state → {verb: next state}. A (state, verb) pair not listed here is refused.
TRANSITIONS: dict[str, dict[str, str]] = {
    S.DRAFT: {"submit": S.SUBMITTED, "withdraw": S.WITHDRAWN},
    S.SUBMITTED: {"return_": S.RETURNED, "accept": S.IN_COUNCIL},
    S.RETURNED: {"submit": S.SUBMITTED, "withdraw": S.WITHDRAWN},
    S.IN_COUNCIL: {"close_scoring": S.SCORED},
    S.SCORED: {
        "certify": S.CERTIFIED,
        "propose_central": S.PROPOSED_CENTRAL,
        "reject": S.REJECTED,
    },
    S.PROPOSED_CENTRAL: {"accept": S.IN_COUNCIL},
    S.CERTIFIED: {},
    S.REJECTED: {},
    S.WITHDRAWN: {},
}
VERBS = (
    "submit",
    "withdraw",
    "return_",
    "accept",
    "close_scoring",
    "certify",
    "propose_central",
    "reject",
)


class EvaluationError(Exception):
    """An action that cannot be done, with a translated message for the person who tried."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class IllegalTransition(EvaluationError):
    def __init__(self, state: str, verb: str):
        self.state, self.verb = state, verb
        super().__init__(
            _("An application that is “%(state)s” cannot be %(verb)s.")
            % {"state": S(state).label, "verb": verb_label(verb)}
        )


class NotAllowed(EvaluationError):
    pass


def verb_label(verb: str) -> str:
    return {
        "submit": _("submitted"),
        "withdraw": _("withdrawn"),
        "return_": _("returned"),
        "accept": _("accepted"),
        "close_scoring": _("closed for scoring"),
        "certify": _("certified"),
        "propose_central": _("proposed to central level"),
        "reject": _("rejected"),
    }.get(verb, verb)


def allowed_verbs(application: OcopApplication) -> list[str]:
    return list(TRANSITIONS.get(application.status, {}))


def _check(application: OcopApplication, verb: str) -> str:
    target = TRANSITIONS.get(application.status, {}).get(verb)
    if target is None:
        raise IllegalTransition(application.status, verb)
    return target


def _move(
    application: OcopApplication,
    verb: str,
    user: AbstractUser | None,
    *,
    to: str | None = None,
    note: str = "",
    fields: tuple[str, ...] = (),
) -> None:
    """Save the new status with `fields`, audit it, and queue the step's e-mails."""
    old = application.status
    new = to or _check(application, verb)
    application.status = new
    application.save(update_fields=["status", *fields])
    audit.record(
        application,
        "ocop.evaluation.status",
        user=user,
        data={"old": S(old).label, "new": S(new).label, "from": old, "to": new, "note": note},
    )
    application_id = application.pk
    transaction.on_commit(lambda: _queue_emails(application_id, verb, new))


def _queue_emails(application_id: int, verb: str, status: str) -> None:
    from evaluation.tasks import send_evaluation_emails

    send_evaluation_emails.enqueue(application_id, verb, status)


# --- Who may do what (server-side) -------------------------------------------------------------


def is_producer_editor(user: AbstractUser, application: OcopApplication) -> bool:
    return (
        user.is_authenticated
        and application.product.producer_id is not None
        and application.product.producer.editors_group.user_set.filter(pk=user.pk).exists()
    )


def is_council_member(user: AbstractUser, application: OcopApplication) -> bool:
    return application.round_id is not None and user.pk in application.round.member_ids()


def is_chair(user: AbstractUser, application: OcopApplication) -> bool:
    return application.round_id is not None and application.round.chair_id == user.pk


def can_view(user: AbstractUser, application: OcopApplication) -> bool:
    """Documents and scores: the producer concerned, the officers, that round's council."""
    if not user.is_authenticated:
        return False
    return (
        is_officer(user)
        or is_producer_editor(user, application)
        or is_council_member(user, application)
    )


def visible_applications(user: AbstractUser):
    from django.db.models import Q

    qs = OcopApplication.objects.select_related("product", "round", "group")
    if is_officer(user):
        return qs
    return qs.filter(
        Q(product__producer__in=producers_for(user)) | Q(round__members=user) | Q(round__chair=user)
    ).distinct()


def visible_scorecards(user: AbstractUser, application: OcopApplication) -> list[Scorecard]:
    """Council sheets a user may read.

    Officers: all. A council member: their own, and the others' once they submitted their own.
    The producer: all, once the application is decided (certified, proposed or rejected).
    """
    cards = list(
        application.scorecards.filter(role=Scorecard.Role.MEMBER).select_related("user", "round")
    )
    if is_officer(user):
        return cards
    if is_council_member(user, application):
        cards = [c for c in cards if c.round_id == application.round_id]
        mine = next((c for c in cards if c.user_id == user.pk), None)
        if mine is not None and mine.submitted_at:
            return [c for c in cards if c.submitted_at or c.user_id == user.pk]
        return [mine] if mine else []
    if is_producer_editor(user, application) and application.status in DECIDED:
        return [c for c in cards if c.submitted_at]
    return []


DECIDED = (S.CERTIFIED, S.PROPOSED_CENTRAL, S.REJECTED)


def can_see_result(user: AbstractUser, application: OcopApplication) -> bool:
    """The mean, spread and outliers: officers; the chair once their own sheet is in (or
    scoring is closed); the producer once decided."""
    if is_officer(user):
        return True
    if is_chair(user, application):
        return (
            application.status != S.IN_COUNCIL
            or application.scorecards.filter(
                role=Scorecard.Role.MEMBER,
                round=application.round,
                user=user,
                submitted_at__isnull=False,
            ).exists()
        )
    return is_producer_editor(user, application) and application.status in DECIDED


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise NotAllowed(message)


# --- Producer's steps --------------------------------------------------------------------------


def criteria_set_in_force(on=None) -> CriteriaSet:
    on = on or today()
    return CriteriaSet.objects.filter(effective_from__lte=on).order_by("-effective_from").first()


@transaction.atomic
def open_application(
    user: AbstractUser,
    product: ProductPage,
    group: OcopGroup,
    *,
    renews: Certificate | None = None,
) -> OcopApplication:
    """A draft application for one of the user's own products, on the sheet in force."""
    _require(
        product.producer_id is not None
        and producers_for(user).filter(pk=product.producer_id).exists(),
        _("You can only apply for your own producer's products."),
    )
    if renews is not None:
        _require(
            renews.product.translation_key == product.translation_key,
            _("The certificate renewed must be this product's."),
        )
    criteria_set = criteria_set_in_force()
    sheet = sheet_for(criteria_set) if criteria_set else None
    _require(
        sheet is not None,
        _("No scoring sheet is set up for the criteria in force: ask an officer to import one."),
    )
    _require(
        group.scheme == criteria_set.group_scheme,
        _("This group belongs to another version of the criteria."),
    )
    open_ = OcopApplication.objects.filter(
        product__translation_key=product.translation_key,
        status__in=[S.DRAFT, S.SUBMITTED, S.RETURNED, S.IN_COUNCIL, S.SCORED],
    )
    _require(not open_.exists(), _("This product already has an application in progress."))
    application = OcopApplication.objects.create(
        product=product,
        group=group,
        kind=Kind.RENEWAL if renews else Kind.NEW,
        renews=renews,
        criteria_set=criteria_set,
        sheet=sheet,
        created_by=user,
    )
    audit.record(
        application,
        "ocop.evaluation.status",
        user=user,
        data={"old": "", "new": S.DRAFT.label, "from": "", "to": S.DRAFT},
    )
    return application


MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# extension → the first bytes such a file starts with
UPLOAD_TYPES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


def upload_error(upload: Any) -> str | None:
    """Why an uploaded dossier file is refused (type by extension and content; size)."""
    from pathlib import Path

    ext = Path(upload.name or "").suffix.lower()
    if ext not in UPLOAD_TYPES:
        return _("Upload a PDF, JPEG or PNG file.")
    if upload.size > MAX_UPLOAD_BYTES:
        return _("A file may be at most %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
    if upload.size == 0:
        return _("The file is empty.")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in UPLOAD_TYPES[ext]):
        return _("The file's content is not a %(ext)s file.") % {"ext": ext[1:].upper()}
    return None


def _editable_by_producer(user: AbstractUser, application: OcopApplication) -> None:
    _require(
        is_producer_editor(user, application) or is_officer(user),
        _("Only the producer's editors can change this application."),
    )
    _require(
        application.status in (S.DRAFT, S.RETURNED),
        _("The dossier can only be changed while the application is a draft or returned."),
    )


def add_document(
    user: AbstractUser, application: OcopApplication, kind: str, upload: Any, title: str = ""
) -> ApplicationDocument:
    _editable_by_producer(user, application)
    _require(kind in DocumentKind.values, _("Choose a document type."))
    error = upload_error(upload)
    if error:
        raise NotAllowed(error)
    return ApplicationDocument.objects.create(
        application=application, kind=kind, title=title[:255], file=upload, uploaded_by=user
    )


def remove_document(user: AbstractUser, document: ApplicationDocument) -> None:
    _editable_by_producer(user, document.application)
    document.file.delete(save=False)
    document.delete()


def missing_documents(application: OcopApplication) -> list[str]:
    present = set(application.documents.values_list("kind", flat=True))
    return [str(DocumentKind(k).label) for k in MANDATORY_DOCUMENTS if k not in present]


def save_self_assessment(
    user: AbstractUser, application: OcopApplication, raw: dict[int, Any]
) -> dict[int, str]:
    """Store the producer's own scores (errors per criterion; nothing saved on error)."""
    _editable_by_producer(user, application)
    return _save_points(
        application, {"role": Scorecard.Role.SELF, "user": None}, raw, complete=False
    )


def _save_points(
    application: OcopApplication, card_key: dict[str, Any], raw: dict[int, Any], *, complete: bool
) -> dict[int, str]:
    """Validate the whole sheet, then replace its scores (nothing is written on an error)."""
    criteria = application.sheet.ordered_criteria()
    points, errors = validate_points(criteria, raw, complete=complete)
    if errors:
        return errors
    with transaction.atomic():
        card, _created = Scorecard.objects.get_or_create(application=application, **card_key)
        card.scores.all().delete()
        Score.objects.bulk_create(
            Score(scorecard=card, criterion_id=pk, points=value) for pk, value in points.items()
        )
    return {}


@transaction.atomic
def submit(user: AbstractUser, application: OcopApplication) -> None:
    _check(application, "submit")
    _require(
        is_producer_editor(user, application),
        _("Only the producer's editors can submit this application."),
    )
    missing = missing_documents(application)
    if missing:
        raise NotAllowed(
            _("Add the missing documents before submitting: %(documents)s.")
            % {"documents": ", ".join(missing)}
        )
    self_card = application.scorecards.filter(role=Scorecard.Role.SELF).first()
    if self_card is None:
        raise NotAllowed(_("Fill in the self-assessment before submitting."))
    criteria = application.sheet.ordered_criteria()
    _points, errors = validate_points(criteria, self_card.points(), complete=True)
    if errors:
        raise NotAllowed(_("Score every mandatory criterion of the self-assessment."))
    application.submitted_at = timezone.now()
    _move(application, "submit", user, fields=("submitted_at",))


@transaction.atomic
def withdraw(user: AbstractUser, application: OcopApplication) -> None:
    _check(application, "withdraw")
    _require(
        is_producer_editor(user, application) or is_officer(user),
        _("Only the producer's editors can withdraw this application."),
    )
    _move(application, "withdraw", user)


# --- Officer's steps ---------------------------------------------------------------------------


@transaction.atomic
def return_(user: AbstractUser, application: OcopApplication, comment: str) -> None:
    """Completeness check failed: back to the producer with the officer's comments."""
    _check(application, "return_")
    _require(is_officer(user), _("Only OCOP officers check applications."))
    _require(bool(comment.strip()), _("Say what is missing or wrong."))
    application.officer_comment = comment.strip()
    _move(application, "return_", user, note=comment.strip()[:200], fields=("officer_comment",))


@transaction.atomic
def accept(user: AbstractUser, application: OcopApplication, round_: CouncilRound) -> None:
    """Complete: the application goes to a council round (central for 5★ proposals)."""
    _check(application, "accept")
    _require(is_officer(user), _("Only OCOP officers check applications."))
    _require(
        round_.criteria_set_id == application.criteria_set_id,
        _("This round scores another version of the criteria."),
    )
    if application.status == S.PROPOSED_CENTRAL:
        _require(
            round_.level == CouncilLevel.CENTRAL,
            _("A product proposed to central level goes to a central council round."),
        )
    else:
        _require(
            round_.level == CouncilLevel.PROVINCE,
            _("An application goes to a provincial council round first."),
        )
    application.round = round_
    _move(application, "accept", user, note=round_.name, fields=("round",))


def council_group() -> Group:
    return grant(COUNCIL_GROUP, [("wagtailadmin", "access_admin")])


@transaction.atomic
def create_round(
    user: AbstractUser,
    *,
    name: str,
    level: str,
    criteria_set: CriteriaSet,
    issuing_body: str,
    chair: Any,
    members: list[Any],
) -> CouncilRound:
    _require(is_officer(user), _("Only OCOP officers form councils."))
    round_ = CouncilRound.objects.create(
        name=name, level=level, criteria_set=criteria_set, issuing_body=issuing_body, chair=chair
    )
    people = {chair, *members}
    round_.members.set(people)
    group = council_group()
    for person in people:
        person.groups.add(group)
    audit.record(round_, "ocop.evaluation.round", user=user, data={"note": name})
    return round_


# --- Council ----------------------------------------------------------------------------------


def save_member_scores(
    user: AbstractUser, application: OcopApplication, raw: dict[int, Any], *, final: bool
) -> dict[int, str]:
    """A member's own sheet: saved as a draft, or submitted (then it is locked)."""
    _require(
        application.status == S.IN_COUNCIL,
        _("Scores can only be given while the council is scoring."),
    )
    _require(is_council_member(user, application), _("Only this round's council scores it."))
    key = {"role": Scorecard.Role.MEMBER, "user": user, "round": application.round}
    _require(
        not application.scorecards.filter(**key, submitted_at__isnull=False).exists(),
        _("You have already submitted your sheet."),
    )
    errors = _save_points(application, key, raw, complete=final)
    if not errors and final:
        card = application.scorecards.get(**key)
        card.submitted_at = timezone.now()
        card.save(update_fields=["submitted_at"])
        audit.record(
            application,
            "ocop.evaluation.score",
            user=user,
            data={"note": _("sheet submitted")},  # never the points: others must not see them
        )
        application_id = application.pk
        if len(_submitted_cards(application)) >= len(application.round.member_ids()):
            transaction.on_commit(lambda: _queue_emails(application_id, "all_scored", S.IN_COUNCIL))
    return errors


def _submitted_cards(application: OcopApplication) -> list[Scorecard]:
    return list(
        application.scorecards.filter(
            role=Scorecard.Role.MEMBER, round=application.round, submitted_at__isnull=False
        ).select_related("user")
    )


@dataclass
class CouncilResult:
    """What the rules make of the members' sheets: the mean of their totals and its band."""

    totals: dict[str, Decimal]  # member name → total
    parts: dict[str, Decimal]  # mean per part, 2 decimals
    mean: Decimal  # A + B + C of the rounded means (what the certificate records)
    spread: Decimal  # highest − lowest total
    stdev: Decimal
    outliers: list[str]  # members more than 10 points from the mean
    stars: int
    outcome: str  # the status deciding leads to


OUTLIER_POINTS = Decimal(10)


def council_result(application: OcopApplication) -> CouncilResult | None:
    cards = _submitted_cards(application)
    if not cards:
        return None
    per_card = [(c, c.part_totals()) for c in cards]
    totals = {
        (c.user.get_full_name() or c.user.get_username()) if c.user else "?": sum(
            p.values(), Decimal(0)
        )
        for c, p in per_card
    }
    codes = [p.code for p in application.sheet.parts.all()]
    parts = {
        code: (
            sum((p.get(code, Decimal(0)) for _c, p in per_card), Decimal(0)) / len(per_card)
        ).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
        for code in codes
    }
    mean = sum(parts.values(), Decimal(0))
    values = list(totals.values())
    stdev = Decimal(str(statistics.pstdev(values))).quantize(TWO_PLACES) if values else Decimal(0)
    raw_mean = sum(values, Decimal(0)) / len(values)
    outliers = [name for name, t in totals.items() if abs(t - raw_mean) > OUTLIER_POINTS]
    stars = application.criteria_set.stars_for(mean)
    if stars < 3:
        outcome = S.REJECTED
    elif stars == 5 and application.round.level == CouncilLevel.PROVINCE:
        outcome = S.PROPOSED_CENTRAL
    elif stars < 5 and application.round.level == CouncilLevel.CENTRAL:
        outcome = S.REJECTED
    else:
        outcome = S.CERTIFIED
    return CouncilResult(
        totals=totals,
        parts=parts,
        mean=mean,
        spread=max(values) - min(values),
        stdev=stdev,
        outliers=outliers,
        stars=stars,
        outcome=outcome,
    )


@transaction.atomic
def close_scoring(user: AbstractUser, application: OcopApplication) -> None:
    _check(application, "close_scoring")
    _require(is_chair(user, application), _("Only the council's chair closes the scoring."))
    waiting = application.round.member_ids() - {c.user_id for c in _submitted_cards(application)}
    _require(
        not waiting,
        _("%(n)s council member(s) have not submitted their sheet yet.") % {"n": len(waiting)},
    )
    _move(application, "close_scoring", user)


@transaction.atomic
def decide(
    user: AbstractUser,
    application: OcopApplication,
    *,
    number: str,
    date,
    issuing_body: str,
    scan: Any | None,
    comment: str = "",
) -> Decision:
    """The chair records the decision; the band of the mean decides what it means.

    3★–4★ (or 5★ by a central council): a Certificate through `record_certificate` (36 months,
    stars, A/B/C and total, criteria version, the scan as its evidence), so the product can be
    published. ≥90 at a provincial council: proposed to central level, no certificate.
    Below 3★: the application is not recognised (its scores stay visible to the producer).
    """
    _require(
        application.status == S.SCORED,
        IllegalTransition(application.status, "certify").message,
    )
    _require(is_chair(user, application), _("Only the council's chair records the decision."))
    result = council_result(application)
    _require(result is not None, _("No council sheet has been submitted."))
    verb = "propose_central" if result.outcome == S.PROPOSED_CENTRAL else "certify"
    if result.outcome == S.REJECTED:
        raise NotAllowed(
            _(
                "A mean of %(mean)s earns %(stars)s★ at this level: record it as not "
                "recognised instead."
            )
            % {"mean": result.mean, "stars": result.stars}
        )
    _require(bool(number.strip()), _("Give the decision number."))
    _require(date is not None and date <= today(), _("Give a decision date, not in the future."))
    _require(bool(issuing_body.strip()), _("Give the issuing body as written."))
    decision = Decision.objects.create(
        application=application,
        round=application.round,
        number=number.strip(),
        date=date,
        issuing_body=issuing_body.strip(),
        score_a=result.parts.get("A", Decimal(0)),
        score_b=result.parts.get("B", Decimal(0)),
        score_c=result.parts.get("C", Decimal(0)),
        total=result.mean,
        stars=result.stars,
        outcome=result.outcome,
        decided_by=user,
    )
    application.council_comment = comment.strip()
    fields = ["council_comment"]
    if result.outcome == S.CERTIFIED:
        evidence = None
        if scan is not None:
            error = upload_error(scan)
            if error:
                raise NotAllowed(error)
            evidence = Document(
                title=f"{number} – {application.product.title}"[:255],
                collection=application.product.producer.collection,
                uploaded_by_user=user,
            )
            evidence.file.save(scan.name, File(scan), save=False)
            evidence.save()
        level = (
            IssuingLevel.CENTRAL if application.round.level == "central" else IssuingLevel.PROVINCE
        )
        try:
            cert = record_certificate(
                user=user,
                product=application.product,
                criteria_set=application.criteria_set,
                group=application.group,
                score_a=decision.score_a,
                score_b=decision.score_b,
                score_c=decision.score_c,
                stars=result.stars,
                decision_number=decision.number,
                decision_date=date,
                issuing_body=decision.issuing_body,
                issuing_level=level,
                evidence=evidence,
            )
        except Exception as exc:  # ValidationError from the certificate rules
            messages = getattr(exc, "messages", None) or [str(exc)]
            raise NotAllowed(" ".join(str(m) for m in messages)) from exc
        application.certificate = cert
        fields.append("certificate")
    _move(
        application,
        verb,
        user,
        note=f"{decision.number} {result.mean}/100 {result.stars}★",
        fields=tuple(fields),
    )
    return decision


@transaction.atomic
def reject(user: AbstractUser, application: OcopApplication, comment: str) -> Decision:
    """Not recognised (below 3★, or the council's reasoned refusal); scores stay visible."""
    _check(application, "reject")
    _require(is_chair(user, application), _("Only the council's chair records the decision."))
    _require(bool(comment.strip()), _("Give the council's reasons."))
    result = council_result(application)
    _require(result is not None, _("No council sheet has been submitted."))
    decision = Decision.objects.create(
        application=application,
        round=application.round,
        score_a=result.parts.get("A", Decimal(0)),
        score_b=result.parts.get("B", Decimal(0)),
        score_c=result.parts.get("C", Decimal(0)),
        total=result.mean,
        stars=result.stars,
        outcome=S.REJECTED,
        decided_by=user,
    )
    application.council_comment = comment.strip()
    _move(application, "reject", user, note=comment.strip()[:200], fields=("council_comment",))
    return decision

"""Every (state, verb) pair: allowed moves work, every other one is refused and changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone, translation

from catalog.models import Certificate
from cms.models import AuditLogEntry
from evaluation import services
from evaluation.models import Decision, DocumentKind, OcopApplication, Score, Scorecard, Status
from evaluation.services import TRANSITIONS, VERBS, EvaluationError
from tests.evaluation.conftest import complete_dossier, draft

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def _member_sheets(application, members, ratio: float) -> None:
    for member in members:
        card = Scorecard.objects.create(
            application=application,
            role=Scorecard.Role.MEMBER,
            user=member,
            round=application.round,
            submitted_at=timezone.now(),
        )
        Score.objects.bulk_create(
            Score(
                scorecard=card,
                criterion=c,
                points=(c.max_points * Decimal(str(ratio))).quantize(Decimal("0.01")),
            )
            for c in application.sheet.ordered_criteria()
        )


def _do(verb, application, *, editor, officer, chair, council_round, central_round):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    if verb == "submit":
        services.submit(editor, application)
    elif verb == "withdraw":
        services.withdraw(editor, application)
    elif verb == "return_":
        services.return_(officer, application, "Thiếu phiếu kiểm nghiệm.")
    elif verb == "accept":
        target = central_round if application.status == Status.PROPOSED_CENTRAL else council_round
        services.accept(officer, application, target)
    elif verb == "close_scoring":
        services.close_scoring(chair, application)
    elif verb in ("certify", "propose_central"):
        services.decide(
            chair,
            application,
            number="99/QĐ-UBND",
            date=yesterday,
            issuing_body="UBND tỉnh Bắc Ninh",
            scan=None,
        )
    elif verb == "reject":
        services.reject(chair, application, "Chưa đạt.")
    else:  # pragma: no cover
        raise AssertionError(verb)


def _counts(application):
    return (
        OcopApplication.objects.get(pk=application.pk).status,
        AuditLogEntry.objects.for_instance(application).count(),
        Certificate.objects.filter(product=application.product).count(),
        Decision.objects.filter(application=application).count(),
    )


@pytest.mark.parametrize("state", Status.values)
def test_every_verb_in_every_state(
    state, editor, officer, members, council_round, central_round, new_product, sheet
):
    application = draft(editor, new_product, sheet)
    complete_dossier(editor, application)
    OcopApplication.objects.filter(pk=application.pk).update(status=state, round=council_round)
    refused = 0
    for verb in VERBS:
        try:
            with transaction.atomic():
                application = OcopApplication.objects.get(pk=application.pk)
                # council sheets that make each outcome reachable: ≥90 proposes, 80 certifies
                _member_sheets(application, members, 0.95 if verb == "propose_central" else 0.8)
                before = _counts(application)
                expected = TRANSITIONS[state].get(verb)
                actor = {
                    "editor": editor,
                    "officer": officer,
                    "chair": council_round.chair,
                    "council_round": council_round,
                    "central_round": central_round,
                }
                if expected is None:
                    with pytest.raises(EvaluationError) as refusal:
                        _do(verb, application, **actor)
                    assert refusal.value.message
                    assert _counts(application) == before, (state, verb)
                    refused += 1
                else:
                    _do(verb, application, **actor)
                    after = OcopApplication.objects.get(pk=application.pk)
                    assert after.status == expected, (state, verb)
                    entry = AuditLogEntry.objects.for_instance(application).first()
                    assert (entry.data["from"], entry.data["to"]) == (state, expected)
                    if expected == Status.CERTIFIED:
                        assert after.certificate.stars == 4
                raise Rollback
        except Rollback:
            pass
    assert refused == len(VERBS) - len(TRANSITIONS[state])


def test_the_table_names_every_state_and_only_known_verbs():
    assert set(TRANSITIONS) == set(Status.values)
    assert {verb for moves in TRANSITIONS.values() for verb in moves} <= set(VERBS)
    assert set(TRANSITIONS[Status.CERTIFIED]) == set()


@pytest.mark.parametrize("who", ["other_editor", "officer", "member"])
def test_only_the_producers_editors_submit(
    who, editor, other_producer, officer, members, council_round, new_product, sheet
):
    application = draft(editor, new_product, sheet)
    complete_dossier(editor, application)
    user = {
        "other_editor": other_producer.onboarded.editor,
        "officer": officer,
        "member": members[1],
    }[who]
    with pytest.raises(EvaluationError):
        services.submit(user, application)
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_missing_documents_are_named_and_block_submission(editor, new_product, sheet):
    from evaluation.services import add_document, save_self_assessment
    from tests.evaluation.conftest import full_marks_ratio, pdf

    application = draft(editor, new_product, sheet)
    add_document(editor, application, "business_registration", pdf())
    save_self_assessment(editor, application, full_marks_ratio(sheet, 0.7))
    with pytest.raises(EvaluationError) as refusal:
        services.submit(editor, application)
    with translation.override("vi"):  # the producer reads the Vietnamese labels
        missing = [str(DocumentKind(k).label) for k in ("food_safety", "lab_tests", "label")]
        present = str(DocumentKind.BUSINESS_REGISTRATION.label)
    for label in missing:
        assert label in refusal.value.message
    assert present not in refusal.value.message
    application.refresh_from_db()
    assert application.status == Status.DRAFT

"""Who is told of each step, and in which language (one message per language, Bcc)."""

from __future__ import annotations

import pytest
from django.core import mail
from wagtail.users.models import UserProfile

from evaluation.emails import recipients, send_step_emails
from evaluation.models import OcopApplication, Status
from tests.evaluation.conftest import complete_dossier, draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(editor, members, council_round, new_product, sheet):
    application = draft(editor, new_product, sheet)
    complete_dossier(editor, application)
    OcopApplication.objects.filter(pk=application.pk).update(
        status=Status.IN_COUNCIL, round=council_round
    )
    application.refresh_from_db()
    return application


@pytest.mark.parametrize(
    ("step", "told"),
    [
        ("submit", {"officer"}),
        ("return_", {"editor"}),
        ("accept", {"editor", "member1", "member2"}),
        ("all_scored", {"member1"}),  # the chair
        ("certify", {"editor", "officer"}),
        ("reject", {"editor", "officer"}),
    ],
)
def test_each_step_tells_those_it_concerns(step, told, accepted, editor, officer, members):
    who = {
        editor.email: "editor",
        officer.email: "officer",
        members[0].email: "member1",
        members[1].email: "member2",
    }
    found = {who.get(address, address) for address, _lang in recipients(accepted, step, "x")}
    producer_address = accepted.product.producer.email
    assert found - {producer_address} == told


def test_each_reader_gets_the_message_in_their_language(accepted, editor, members):
    profile = UserProfile.get_for_user(members[1])
    profile.preferred_language = "en"
    profile.save()
    mail.outbox.clear()
    send_step_emails(accepted.pk, "accept", Status.IN_COUNCIL)
    by_recipient = {address: m for m in mail.outbox for address in m.bcc}
    assert len(mail.outbox) == 2  # one per language
    assert by_recipient[members[1].email] is not by_recipient[editor.email]
    assert by_recipient[members[0].email] is by_recipient[editor.email]
    assert f"/admin/evaluation/{accepted.pk}/" in by_recipient[editor.email].body

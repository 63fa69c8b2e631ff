"""Who sees an application's documents and scores, enumerated per role and state."""

from __future__ import annotations

import pytest
from django.utils import timezone

from evaluation import services
from evaluation.models import OcopApplication, Score, Scorecard, Status
from tests.evaluation.conftest import complete_dossier, draft

pytestmark = pytest.mark.django_db

ROLES = [
    "editor",
    "other_editor",
    "officer",
    "member",
    "chair",
    "outside_member",
    "plain_user",
]


@pytest.fixture
def people(editor, other_producer, officer, members, council_round, django_user_model):
    from evaluation.services import create_round
    from tests.factories import criteria_set

    outsider = django_user_model.objects.create_user("council9", "c9@example.vn", "pw-123456")
    create_round(
        officer,
        name="Đợt khác",
        level="province",
        criteria_set=criteria_set(),
        issuing_body="UBND tỉnh Khác",
        chair=outsider,
        members=[outsider],
    )
    plain = django_user_model.objects.create_user("plain", "plain@example.vn", "pw-123456")
    return {
        "editor": editor,
        "other_editor": other_producer.onboarded.editor,
        "officer": officer,
        "member": members[1],
        "chair": members[0],
        "outside_member": outsider,
        "plain_user": plain,
    }


@pytest.fixture
def scored(editor, members, council_round, new_product, sheet):
    """An application in council: the chair has submitted a sheet, member 2 only a draft."""
    application = draft(editor, new_product, sheet)
    complete_dossier(editor, application)
    OcopApplication.objects.filter(pk=application.pk).update(
        status=Status.IN_COUNCIL, round=council_round
    )
    application.refresh_from_db()
    for member, submitted in ((members[0], True), (members[1], False)):
        card = Scorecard.objects.create(
            application=application,
            role="member",
            user=member,
            round=council_round,
            submitted_at=timezone.now() if submitted else None,
            comment=f"nhận xét của {member.username}",
        )
        Score.objects.bulk_create(
            Score(scorecard=card, criterion=c, points=c.max_points / 2)
            for c in sheet.ordered_criteria()
        )
    return application


# role → (sees the application and its documents, council sheets visible while scoring)
EXPECTED = {
    "editor": (True, set()),
    "other_editor": (False, set()),
    "officer": (True, {"council1", "council2"}),
    "member": (True, {"council2"}),  # own draft only: has not submitted
    "chair": (True, {"council1"}),  # submitted: would see the others once they submit
    "outside_member": (False, set()),
    "plain_user": (False, set()),
}


@pytest.mark.parametrize("role", ROLES)
def test_documents_and_scores_per_role(role, people, scored, client):
    user = people[role]
    sees, sheets = EXPECTED[role]
    assert services.can_view(user, scored) is sees
    cards = services.visible_scorecards(user, scored) if sees else []
    assert {c.user.username for c in cards} == sheets
    client.force_login(user)
    document = scored.documents.first()
    detail = client.get(f"/admin/evaluation/{scored.pk}/")
    download = client.get(f"/admin/evaluation/documents/{document.pk}/")
    if sees:
        assert detail.status_code == download.status_code == 200
        page = detail.content.decode()
        for username in ("council1", "council2"):
            assert (f"nhận xét của {username}" in page) == (username in sheets), username
    else:
        assert detail.status_code in (302, 403, 404)
        assert download.status_code in (302, 403, 404)
        assert b"%PDF" not in b"".join(getattr(download, "streaming_content", [download.content]))


@pytest.mark.parametrize("status", [Status.CERTIFIED, Status.REJECTED, Status.SCORED])
def test_the_producer_sees_council_sheets_once_decided(status, editor, scored):
    Scorecard.objects.filter(application=scored).update(submitted_at=timezone.now())
    OcopApplication.objects.filter(pk=scored.pk).update(status=status)
    scored.refresh_from_db()
    shown = {c.user.username for c in services.visible_scorecards(editor, scored)}
    decided = status in (Status.CERTIFIED, Status.REJECTED)
    assert shown == ({"council1", "council2"} if decided else set())
    assert services.can_see_result(editor, scored) is decided

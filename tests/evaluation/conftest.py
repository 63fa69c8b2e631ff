"""Fixtures of the evaluation tests: the SAMPLE sheet, a council, an uncertified product."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import criteria_set, leaf_group, make_product

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "giay-to.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


@pytest.fixture
def sheet(site):
    from evaluation.sheets import load_sample_sheets, sheet_for

    load_sample_sheets()
    return sheet_for(criteria_set())


@pytest.fixture
def new_product(producer):
    return make_product(producer, title="Trà hoa vàng", stars=None, publish=False)


@pytest.fixture
def members(site, django_user_model):
    return [
        django_user_model.objects.create_user(
            f"council{i}", f"council{i}@example.vn", "council-pass-1", first_name=f"Member {i}"
        )
        for i in (1, 2)
    ]


@pytest.fixture
def council_round(officer, members):
    from evaluation.services import create_round

    return create_round(
        officer,
        name="Đợt 1/2026 – Hội đồng tỉnh",
        level="province",
        criteria_set=criteria_set(),
        issuing_body="UBND tỉnh Bắc Ninh",
        chair=members[0],
        members=members,
    )


@pytest.fixture
def central_round(officer, members, django_user_model):
    from evaluation.services import create_round

    chair = django_user_model.objects.create_user("central-chair", "tw@example.vn", "pw-123456")
    return create_round(
        officer,
        name="Hội đồng Trung ương 2026",
        level="central",
        criteria_set=criteria_set(),
        issuing_body="Thủ tướng Chính phủ",
        chair=chair,
        members=[chair],
    )


def full_marks_ratio(sheet, ratio: float) -> dict[int, str]:
    """Raw points per criterion id: each criterion at `ratio` of its maximum."""
    return {c.pk: str(round(float(c.max_points) * ratio, 2)) for c in sheet.ordered_criteria()}


def draft(editor, product, sheet):
    from evaluation.services import open_application

    return open_application(editor, product, leaf_group())


def complete_dossier(editor, application):
    from evaluation.models import MANDATORY_DOCUMENTS
    from evaluation.services import add_document, save_self_assessment

    for kind in MANDATORY_DOCUMENTS:
        add_document(editor, application, kind, pdf(f"{kind}.pdf"))
    assert save_self_assessment(editor, application, full_marks_ratio(application.sheet, 0.8)) == {}

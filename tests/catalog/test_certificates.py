import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from catalog.models import CertificateStatus, IssuingLevel
from catalog.services import record_certificate, revoke_certificate
from tests.factories import certify, criteria_set, make_product


def _fields(product, **overrides):
    fields = {
        "product": product,
        "criteria_set": criteria_set("148/2023 + 1489/2025"),
        "score_a": Decimal(30),
        "score_b": Decimal(20),
        "score_c": Decimal(25),
        "stars": 4,
        "decision_number": "123/QĐ-UBND",
        "decision_date": timezone.localdate() - dt.timedelta(days=10),
        "issuing_body": "UBND tỉnh Bắc Ninh",
        "issuing_level": IssuingLevel.PROVINCE,
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def draft_product(producer):
    return make_product(producer, title="Mật ong thử", stars=None, publish=False)


def test_valid_certificate_gets_total_and_36_month_expiry(draft_product):
    cert = record_certificate(**_fields(draft_product))
    assert cert.total_score == Decimal(75)
    assert cert.expires_on == cert.decision_date.replace(year=cert.decision_date.year + 3)
    assert cert.status == CertificateStatus.VALID


@pytest.mark.parametrize(
    ("field", "value"),
    [("score_a", Decimal(41)), ("score_b", Decimal("25.5")), ("score_c", Decimal(36))],
)
def test_score_above_part_maximum_is_rejected_naming_the_part(draft_product, field, value):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        record_certificate(**_fields(draft_product, **{field: value}))
    assert field in exc.value.message_dict
    assert "at most" in " ".join(exc.value.message_dict[field])


def test_1048_criteria_allow_40_points_in_part_c(draft_product):
    cert = record_certificate(
        **_fields(
            draft_product,
            criteria_set=criteria_set("1048/2019"),
            score_a=Decimal(30),
            score_b=Decimal(20),
            score_c=Decimal(38),
            stars=4,
            issuing_level=IssuingLevel.PROVINCE,
            decision_date=dt.date(2023, 1, 10),
        )
    )
    assert cert.total_score == Decimal(88)


@pytest.mark.parametrize(
    ("a", "b", "c", "stars"),
    [
        (Decimal(10), Decimal(10), Decimal(9), 1),
        (Decimal(20), Decimal(10), Decimal("19.99"), 2),
        (Decimal(20), Decimal(10), Decimal(20), 3),
        (Decimal(30), Decimal(20), Decimal("19.5"), 3),
        (Decimal(30), Decimal(20), Decimal(20), 4),
        (Decimal(40), Decimal(25), Decimal(25), 5),
    ],
)
def test_star_bands(draft_product, a, b, c, stars):
    level = IssuingLevel.CENTRAL if stars == 5 else IssuingLevel.PROVINCE
    cert = record_certificate(
        **_fields(draft_product, score_a=a, score_b=b, score_c=c, stars=stars, issuing_level=level)
    )
    assert cert.stars == stars


def test_stars_that_disagree_with_total_are_rejected(draft_product):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        record_certificate(**_fields(draft_product, stars=5))
    assert "earns 4★" in " ".join(exc.value.message_dict["stars"])


def test_total_that_is_not_the_sum_is_rejected(draft_product):
    with pytest.raises(ValidationError) as exc:
        record_certificate(**_fields(draft_product, total_score=Decimal(80)))
    assert "total_score" in exc.value.message_dict


def test_expiry_before_decision_is_rejected(draft_product):
    decision = timezone.localdate() - dt.timedelta(days=5)
    with pytest.raises(ValidationError) as exc:
        record_certificate(
            **_fields(
                draft_product, decision_date=decision, expires_on=decision - dt.timedelta(days=1)
            )
        )
    assert "expires_on" in exc.value.message_dict


def test_recognition_level_must_match_the_criteria(draft_product):
    with pytest.raises(ValidationError) as exc:
        record_certificate(**_fields(draft_product, issuing_level=IssuingLevel.DISTRICT))
    assert "issuing_level" in exc.value.message_dict


def test_certificate_errors_are_in_vietnamese_by_default(draft_product):
    with pytest.raises(ValidationError) as exc:
        record_certificate(**_fields(draft_product, score_a=Decimal(41)))
    assert "phần A" in " ".join(exc.value.message_dict["score_a"])


def test_invalid_certificate_changes_nothing(draft_product):
    with pytest.raises(ValidationError):
        record_certificate(**_fields(draft_product, score_a=Decimal(99)))
    assert draft_product.certificates.count() == 0


@pytest.mark.parametrize(
    ("days_left", "status"),
    [
        (400, CertificateStatus.VALID),
        (30, CertificateStatus.EXPIRING),
        (-1, CertificateStatus.EXPIRED),
    ],
)
def test_status_follows_the_calendar(product, days_left, status):
    cert = product.certificates.get()
    cert.expires_on = timezone.localdate() + dt.timedelta(days=days_left)
    cert.save()
    assert cert.status == status
    assert cert.shows_badge is (status != CertificateStatus.EXPIRED)


def test_revoked_certificate_unpublishes_the_product(product):
    revoke_certificate(product.certificates.get(), reason="Vi phạm chất lượng")
    product.refresh_from_db()
    assert product.live is False
    assert product.certificates.get().status == CertificateStatus.REVOKED


def test_lower_star_certificate_does_not_hide_a_higher_one(product):
    certify(product, stars=3)
    assert product.current_certificate.stars == 4

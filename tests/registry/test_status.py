"""One status function: enumerated against the catalogue's rule of what is in force."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.models import Certificate, CriteriaSet
from catalog.services import record_certificate
from registry.filters import RegistryFilters
from registry.queries import entries, registry_queryset
from registry.status import EXPIRING_WITHIN_DAYS, IN_FORCE_STATUSES, RegistryStatus, with_status
from tests.factories import certify, make_product


def _status(cert: Certificate, on: dt.date) -> str:
    return with_status(Certificate.objects.filter(pk=cert.pk), on).get().registry_status


@pytest.mark.django_db
def test_status_agrees_with_the_catalogue_on_every_day_around_expiry(producer):
    cert = certify(make_product(producer, publish=False, stars=None), stars=4)
    on = timezone.localdate()
    for offset in range(-3, EXPIRING_WITHIN_DAYS + 4):
        cert.expires_on = on + dt.timedelta(days=offset)
        cert.save(update_fields=["expires_on"])
        status = _status(cert, on)
        in_force = Certificate.objects.in_force(on).filter(pk=cert.pk).exists()
        assert (status in IN_FORCE_STATUSES) == in_force, offset
        if offset < 0:
            assert status == RegistryStatus.EXPIRED
        elif offset <= EXPIRING_WITHIN_DAYS:
            assert status == RegistryStatus.EXPIRING
        else:
            assert status == RegistryStatus.IN_FORCE


@pytest.mark.django_db
def test_a_revoked_certificate_is_revoked_whatever_its_expiry(producer):
    cert = certify(make_product(producer, publish=False, stars=None), stars=5)
    cert.revoked_at = timezone.now()
    on = timezone.localdate()
    for offset in (-400, -1, 0, 1, 60, 400):
        cert.expires_on = on + dt.timedelta(days=offset)
        cert.save(update_fields=["expires_on", "revoked_at"])
        assert _status(cert, on) == RegistryStatus.REVOKED


# Domain bands (ocop-domain.md): 3★ 50–69, 4★ 70–89, 5★ 90–100; below 50 is not recognised.
def _band(total: Decimal) -> int:
    return 5 if total >= 90 else 4 if total >= 70 else 3 if total >= 50 else 2 if total >= 30 else 1


def _scores(draw, criteria: CriteriaSet) -> tuple[Decimal, Decimal, Decimal]:
    def part(maximum: Decimal) -> Decimal:
        cents = draw(st.integers(min_value=0, max_value=int(maximum * 100)))
        return Decimal(cents) / 100

    return part(criteria.max_a), part(criteria.max_b), part(criteria.max_c)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), wrong=st.integers(min_value=1, max_value=4))
def test_listed_stars_always_match_the_score_band_of_the_criteria_version(producer, data, wrong):
    criteria = data.draw(st.sampled_from(list(CriteriaSet.objects.order_by("code"))))
    a, b, c = _scores(data.draw, criteria)
    total = a + b + c
    # one product for every example (Hypothesis reuses the test's fixtures)
    page = getattr(producer, "_page", None) or make_product(producer, publish=False, stars=None)
    producer._page = page
    fields = {
        "product": page,
        "criteria_set": criteria,
        "score_a": a,
        "score_b": b,
        "score_c": c,
        "decision_number": f"{total}/QĐ-UBND",
        "decision_date": timezone.localdate() - dt.timedelta(days=10),
        "issuing_body": "UBND tỉnh Bắc Ninh",
    }
    expected = _band(total)
    assert criteria.stars_for(total) == expected
    level = criteria.recognising_levels.get(str(expected), ["province"])[0]
    before = registry_queryset(RegistryFilters()).count()

    with pytest.raises(ValidationError):  # a star count outside the band is refused
        record_certificate(stars=(expected + wrong - 1) % 5 + 1, issuing_level=level, **fields)
    assert registry_queryset(RegistryFilters()).count() == before

    cert = record_certificate(stars=expected, issuing_level=level, **fields)
    listed = [e for e in entries(registry_queryset(RegistryFilters())) if e.id == cert.pk]
    if expected >= 3:
        assert [e.stars for e in listed] == [expected]
        assert listed[0].score == total
    else:
        assert listed == []  # 1★ and 2★ are not recognitions

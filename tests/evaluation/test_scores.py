"""Score sheets: every score is checked against its criterion's maximum; totals are computed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluation.models import Criterion, SheetPart
from evaluation.sheets import validate_points


def _criteria(maxima: list[Decimal], mandatory: list[bool]) -> list[Criterion]:
    part = SheetPart(code="A", title="A", max_points=sum(maxima, Decimal(0)))
    return [
        Criterion(pk=i + 1, part=part, code=f"A{i + 1}", text="x", max_points=m, mandatory=f)
        for i, (m, f) in enumerate(zip(maxima, mandatory, strict=True))
    ]


maxima = st.lists(st.decimals(min_value=1, max_value=20, places=0), min_size=1, max_size=6)
raw_value = st.one_of(
    st.decimals(min_value=-50, max_value=50, places=3, allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", " ", "abc", "1e400", "nan", "-0", "7,5", "Infinity"]),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), maxima=maxima)
def test_a_score_is_accepted_only_within_zero_and_its_maximum(data, maxima):
    mandatory = data.draw(st.lists(st.booleans(), min_size=len(maxima), max_size=len(maxima)))
    criteria = _criteria(maxima, mandatory)
    raw = {c.pk: data.draw(raw_value) for c in criteria}
    complete = data.draw(st.booleans())
    points, errors = validate_points(criteria, raw, complete=complete)
    for crit in criteria:
        text = str(raw[crit.pk]).strip().replace(",", ".")
        if text == "":
            assert crit.pk not in points
            assert (crit.pk in errors) == (complete and crit.mandatory)
            continue
        try:
            number = Decimal(text)
            valid = (
                number.is_finite()
                and 0 <= number <= crit.max_points
                and number == number.quantize(Decimal("0.01"))
            )
        except Exception:
            valid = False
        assert (crit.pk in points) == valid, (raw[crit.pk], crit.max_points)
        assert (crit.pk in errors) != valid
        if valid:
            assert points[crit.pk] == number
    # nothing accepted is above its maximum, and the sheet's total cannot pass the part's maximum
    assert all(0 <= points[c.pk] <= c.max_points for c in criteria if c.pk in points)
    assert sum(points.values(), Decimal(0)) <= sum(maxima, Decimal(0))


@pytest.mark.django_db
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ratios=st.lists(st.integers(min_value=0, max_value=100), min_size=10, max_size=10))
def test_saved_sheet_totals_are_the_sum_of_its_scores(ratios, sheet, editor, new_product):
    from evaluation.services import save_self_assessment
    from tests.evaluation.conftest import draft

    application = new_product.ocop_applications.first() or draft(editor, new_product, sheet)
    criteria = sheet.ordered_criteria()
    raw = {
        c.pk: str((c.max_points * r / 100).quantize(Decimal("0.01")))
        for c, r in zip(criteria, ratios, strict=False)
    }
    assert save_self_assessment(editor, application, raw) == {}
    card = application.scorecards.get(role="self")
    expected = sum((Decimal(v) for v in raw.values()), Decimal(0))
    assert card.total() == expected
    by_part = card.part_totals()
    assert sum(by_part.values(), Decimal(0)) == expected
    for part in sheet.parts.all():
        assert by_part[part.code] <= part.max_points

"""The Vietnamese tax code (MST) rule: format and check digit, shared by Producer and the
public registration form (catalog.tax_codes)."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from catalog.tax_codes import check_digit, normalise_tax_code, tax_code_variants, validate_tax_code

WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def _expected_check_digit(first_nine: str) -> str | None:
    """The rule written out again, independently of the library: 10 − (Σ wᵢdᵢ mod 11)."""
    value = 10 - sum(w * int(d) for w, d in zip(WEIGHTS, first_nine, strict=True)) % 11
    return None if value == 10 else str(value)


def _is_valid(code: str) -> bool:
    try:
        validate_tax_code(code)
    except ValidationError:
        return False
    return True


# python-stdnum's documented examples and Viettel's published tax code.
@pytest.mark.parametrize("code", ["0100233488", "0314409058-002", "0100109106"])
def test_real_tax_codes_are_valid(code):
    assert _is_valid(code)


@pytest.mark.parametrize("first_nine", ["010023348", "030251981", "460000001", "540012345"])
def test_exactly_one_tenth_digit_is_accepted(first_nine):
    accepted = [d for d in "0123456789" if _is_valid(first_nine + d)]
    expected = _expected_check_digit(first_nine)
    assert accepted == ([expected] if expected else [])


def test_every_single_digit_typo_is_caught():
    """Changing any one of the first nine digits of a valid code to any other digit breaks it:
    the weights are distinct and non-zero modulo 11, so no single typo keeps the sum."""
    code = "0100233488"
    for position, digit in itertools.product(range(9), "0123456789"):
        if digit == code[position]:
            continue
        typo = code[:position] + digit + code[position + 1 :]
        if typo[2:9] == "0000000":
            continue
        assert not _is_valid(typo), typo


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_check_digit_matches_the_written_rule(first_nine):
    expected = _expected_check_digit(first_nine)
    assert check_digit(first_nine) == (expected or "")
    if expected and first_nine[2:] != "0000000":
        assert _is_valid(first_nine + expected)
        assert _is_valid(f"{first_nine}{expected}-001")
        assert normalise_tax_code(f"{first_nine}{expected}001") == f"{first_nine}{expected}-001"


@given(st.text(max_size=20))
def test_anything_else_is_refused_with_a_message(text):
    digits = text.replace("-", "")
    well_formed = (
        digits.isascii()
        and digits.isdigit()
        and (len(text) == 10 and "-" not in text or len(digits) == 13 and text.count("-") <= 1)
    )
    if well_formed:
        return
    with pytest.raises(ValidationError) as info:
        validate_tax_code(text)
    assert info.value.messages


@pytest.mark.parametrize(
    "code",
    ["0000000000", "0100233488-000", "01002334881", "0100-233488", "O100233488", "٠١٠٠٢٣٣٤٨٨"],
)
def test_malformed_codes_are_refused(code):
    assert not _is_valid(code)


def test_both_spellings_of_a_branch_code_are_one_code():
    assert set(tax_code_variants("0314409058-002")) == {"0314409058002", "0314409058-002"}
    assert tax_code_variants("0100233488") == ["0100233488"]


def test_producer_uses_the_same_rule(site):
    from catalog.models import Producer, ProducerType

    producer = Producer(
        name="HTX Sai Số",
        kind=ProducerType.COOPERATIVE,
        tax_code="0100233480",
        province_code=1,
        ward_code=4,
    )
    with pytest.raises(ValidationError) as info:
        producer.full_clean()
    assert "tax_code" in info.value.message_dict

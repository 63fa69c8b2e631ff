"""The plain links our labels carry are read without biip, exactly as biip reads them."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from catalog.gtin import gtin_check_digit, is_valid_gtin
from traceability import digital_link
from traceability.digital_link import InvalidDigitalLink, _plain_link, parse_digital_link

PLAIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"
digits = st.text(alphabet="0123456789", min_size=13, max_size=13)
plain_value = st.text(alphabet=PLAIN, min_size=1, max_size=20)


def _with_biip(path: str) -> digital_link.DigitalLink:
    """What parse_digital_link answers when the plain reading is switched off."""
    original = digital_link._plain_link
    digital_link._plain_link = lambda path: None
    try:
        return parse_digital_link(path)
    finally:
        digital_link._plain_link = original


def _path(gtin: str, lot: str | None, serial: str | None) -> str:
    return (
        f"/01/{gtin}"
        + (f"/10/{lot}" if lot is not None else "")
        + (f"/21/{serial}" if serial is not None else "")
    )


@settings(max_examples=300, deadline=None)
@given(
    body=digits,
    lot=st.none() | plain_value,
    serial=st.none() | plain_value,
    wrong_digit=st.booleans(),
)
@example(body="0000000000000", lot=None, serial=None, wrong_digit=False)
@example(body="8934563138165"[:-1] + "0", lot="L-2024.06_a", serial="0", wrong_digit=False)
@example(body="9780000000000", lot="A" * 20, serial="9" * 20, wrong_digit=False)
def test_plain_links_read_as_biip_reads_them(body, lot, serial, wrong_digit):
    check = gtin_check_digit(body)
    if wrong_digit:
        check = str((int(check) + 1) % 10)
    path = _path(body + check, lot, serial)

    plain = _plain_link(path)
    try:
        expected = _with_biip(path)
    except InvalidDigitalLink:
        expected = None

    if plain is not None:
        assert plain == expected
    else:
        assert wrong_digit  # only a bad check digit leaves a plain-looking link to biip
        with pytest.raises(InvalidDigitalLink):
            parse_digital_link(path)


@pytest.mark.parametrize(
    "path",
    [
        "/01/08934563138165/10/L%2F1",  # percent-encoded: biip decodes
        "/01/08934563138165/10/" + "A" * 21,  # too long for AI 10
        "/01/8934563138165",  # 13 digits
        "/01/08934563138165/21/S1/10/L1",  # qualifiers out of order
        "/01/08934563138165/10/L~1",  # "~" is outside GS1's character set 82
        "/01/٠٨٩٣٤٥٦٣١٣٨١٦٥",  # digits, but not ASCII ones
    ],
)
def test_other_links_are_left_to_biip(path):
    assert _plain_link(path) is None


def test_gtin_check_digit_agrees_with_biip():
    from biip.gtin import Gtin

    for body in ("893456313816", "0000000", "1234567", "89345631381", "1" * 13):
        gtin = body + gtin_check_digit(body)
        assert Gtin.parse(gtin).check_digit == int(gtin[-1])
        assert is_valid_gtin(gtin)
        assert not is_valid_gtin(body + str((int(gtin[-1]) + 1) % 10))

"""GTIN checks for model validation: length and the GS1 mod-10 check digit, in plain Python.

The check digit is the whole of what GS1 asks of a GTIN's digits, so model validation needs no
library: importing `biip` (≈ 16 MiB per worker) at start-up for it cost more than any page.
`biip` still parses what is scanned (`traceability.digital_link`), where AI syntax matters.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

GTIN_LENGTHS = (8, 12, 13, 14)


def gtin_check_digit(body: str) -> str:
    """The GS1 mod-10 check digit for a GTIN body (all digits but the last)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def is_valid_gtin(value: str) -> bool:
    """8, 12, 13 or 14 ASCII digits whose last digit is the check digit of the others."""
    return (
        value.isascii()
        and value.isdigit()
        and len(value) in GTIN_LENGTHS
        and gtin_check_digit(value[:-1]) == value[-1]
    )


def validate_gtin(value: str) -> None:
    """Model validator; raises ValidationError with a translated message if invalid."""
    value = (value or "").strip()
    if not value:
        return
    if not (value.isascii() and value.isdigit()) or len(value) not in GTIN_LENGTHS:
        raise ValidationError(
            _("A GTIN has 8, 12, 13 or 14 digits."), code="gtin_length", params={"value": value}
        )
    if not is_valid_gtin(value):
        raise ValidationError(
            _("The GTIN %(value)s has a wrong check digit."),
            code="gtin_check_digit",
            params={"value": value},
        )

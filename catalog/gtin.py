"""GTIN validation through `biip` (GS1's check-digit and length rules)."""

from __future__ import annotations

from biip import ParseError
from biip.gtin import Gtin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def parse_gtin(value: str) -> Gtin:
    """Parse a GTIN-8/12/13/14; raise ValidationError with a translated message if invalid."""
    value = (value or "").strip()
    if not value.isdigit() or len(value) not in (8, 12, 13, 14):
        raise ValidationError(
            _("A GTIN has 8, 12, 13 or 14 digits."), code="gtin_length", params={"value": value}
        )
    try:
        return Gtin.parse(value)
    except ParseError as exc:
        raise ValidationError(
            _("The GTIN %(value)s has a wrong check digit."),
            code="gtin_check_digit",
            params={"value": value},
        ) from exc


def validate_gtin(value: str) -> None:
    if value:
        parse_gtin(value)


def gtin_check_digit(body: str) -> str:
    """The GS1 mod-10 check digit for a GTIN body (all digits but the last)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)

"""Identifiers of the traceability app: planting-area codes, short codes and serials.

Short codes and serials are random (`secrets`), drawn from Crockford's 32-character alphabet (no
I, L, O or U to mistake for 1 or 0), so they can be read aloud or typed from a label and
cannot be enumerated: 10 characters give 32**10 ≈ 1.1e15 possibilities.
"""

from __future__ import annotations

import re
import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
SHORT_CODE_LENGTH = 10
SERIAL_LENGTH = 12

# VN-<province 2>-<district 3>-<commune 5>-<facility>-<YY>, e.g. VN-66-650-24370-94-21.
AREA_CODE_RE = re.compile(r"^VN-(\d{2})-(\d{3})-(\d{5})-(\d{1,4})-(\d{2})$")

# GS1 AI encodable character set 82 (GS1 General Specifications, figure 7.11-1).
CSET82_RE = re.compile(r"^[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}$")


def random_code(length: int = SHORT_CODE_LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def is_standard_area_code(code: str) -> bool:
    """True for codes in the official `VN-PP-DDD-CCCCC-FF-YY` form."""
    return bool(AREA_CODE_RE.match(code or ""))


def validate_area_code(code: str) -> None:
    """Refuse codes that start like the official form but break it; accept other codes as recorded.

    A code that starts with "VN-" claims to be an official planting-area code, so a typo in it
    is caught; anything else (an export code, a cooperative's own numbering) is kept as written.
    """
    code = (code or "").strip()
    if code.upper().startswith("VN-") and not is_standard_area_code(code):
        raise ValidationError(
            _(
                "An official planting-area code has the form VN-<province>-<district>-"
                "<commune>-<facility>-<year>, e.g. VN-66-650-24370-94-21."
            ),
            code="area_code",
        )


def validate_gs1_text(value: str) -> None:
    """A lot number or serial must fit GS1's character set 82, 1–20 characters."""
    if not CSET82_RE.match(value or ""):
        raise ValidationError(
            _(
                "Use 1 to 20 characters: letters A–Z a–z without accents, digits, "
                "and ! \" % & ' ( ) * + , - . / : ; < = > ? _"
            ),
            code="gs1_text",
        )

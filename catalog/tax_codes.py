"""Vietnamese tax codes (mã số thuế, MST): format and check digit.

A leaf module (no project imports), so models, forms and services share one rule.

An MST has 10 digits; a branch or dependent unit adds 3 more (written `0314409058-002`).
Digits 3–9 are a sequence that is never 0000000, a branch suffix is never 000, and the 10th
digit checks the first nine, by the tax authority's published rule: with weights 31, 29, 23, 19, 17, 13, 7, 5, 3, the check digit is 10 − (Σ wᵢdᵢ mod 11);
a remainder of 0 would give 10, so such numbers are never issued. `python-stdnum`
(`stdnum.vn.mst`) implements that rule; this module wraps it with our messages and the
canonical written form.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.vn import mst

FORMAT_MESSAGE = _(
    "A tax code has 10 digits, or 13 digits written as 10 digits, a hyphen and 3 digits."
)
CHECK_DIGIT_MESSAGE = _(
    "This tax code is not valid: its last digit does not match the others. Check it on your "
    "business registration certificate."
)

WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def check_digit(first_nine: str) -> str:
    """The 10th digit for nine digits, or "" if none exists (remainder 0: never issued)."""
    digit = mst.calc_check_digit(first_nine)
    return digit if len(digit) == 1 else ""


def normalise_tax_code(value: str) -> str:
    """'0314 409 058 - 002' / '0314409058002' → '0314409058-002'; '0100233488' stays."""
    return mst.format(value) if value else ""


def validate_tax_code(value: str) -> None:
    """Format and check digit; raises ValidationError with a translated message."""
    raw = (value or "").strip()
    if not raw or any(c not in "0123456789-" for c in raw) or raw.count("-") > 1:
        raise ValidationError(FORMAT_MESSAGE, code="tax_code_format")
    digits = raw.replace("-", "")
    if len(digits) not in (10, 13) or ("-" in raw and raw.index("-") != 10):
        raise ValidationError(FORMAT_MESSAGE, code="tax_code_format")
    try:
        mst.validate(digits)
    except InvalidChecksum:
        raise ValidationError(CHECK_DIGIT_MESSAGE, code="tax_code_check_digit") from None
    except StdnumError:
        raise ValidationError(FORMAT_MESSAGE, code="tax_code_format") from None


def tax_code_variants(value: str) -> list[str]:
    """The spellings one tax code may be stored under (with and without the branch hyphen)."""
    digits = (value or "").replace("-", "").strip()
    if len(digits) == 13:
        return [digits, f"{digits[:10]}-{digits[10:]}"]
    return [digits]

"""Phone numbers as Vietnamese people write them: national form, "0912 345 678"."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers


# Both are pure and a page shows the same few numbers again and again: parsing costs ~40 µs.
@lru_cache(maxsize=4096)
def national_phone(raw: str | None) -> str:
    """'+84912345678' → '0912 345 678'; anything unreadable is shown as it was typed."""
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(str(raw), "VN")
    except phonenumbers.NumberParseException:
        return str(raw)
    if not phonenumbers.is_possible_number(number):
        return str(raw)
    if number.country_code != 84:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


@lru_cache(maxsize=4096)
def tel_uri(raw: str | None) -> str:
    """'0912 345 678' → 'tel:+84912345678' for links (RFC 3966)."""
    try:
        number = phonenumbers.parse(str(raw or ""), "VN")
    except phonenumbers.NumberParseException:
        return ""
    return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

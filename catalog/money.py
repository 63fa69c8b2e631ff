"""VND amounts: whole đồng, no minor unit. The one formatter for every language."""

from __future__ import annotations

from django.utils.translation import get_language


def format_vnd(amount: int | None, language: str | None = None) -> str:
    """150000 → '150.000 ₫' in Vietnamese (dot grouping, sign after), '₫150,000' in English.

    Every amount a person reads (pages, facets, e-mails, admin messages, order events) goes
    through here, so one language never shows two spellings of the same sum.
    """
    if amount is None or amount == "":
        return ""
    value = int(amount)
    sign = "-" if value < 0 else ""
    grouped = f"{abs(value):,}"
    if (language or get_language() or "vi").split("-")[0] == "vi":
        return f"{sign}{grouped.replace(',', '.')} ₫"
    return f"{sign}₫{grouped}"

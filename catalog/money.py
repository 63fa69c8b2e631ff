"""VND amounts: whole đồng, no minor unit."""

from __future__ import annotations


def format_vnd(amount: int | None) -> str:
    if amount is None or amount == "":
        return ""
    value = int(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value):,}".replace(",", ".") + " ₫"

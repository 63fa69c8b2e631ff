"""Vietnamese text folding: case, every diacritic, and đ/Đ → d (Unicode does not decompose đ)."""

from __future__ import annotations

import unicodedata

_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})


def fold(text: str) -> str:
    """'Vải thiều Đắk Lắk' → 'vai thieu dak lak'."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_EXTRA))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.lower().split())

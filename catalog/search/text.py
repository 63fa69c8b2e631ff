"""Vietnamese text folding for indexing and queries.

Folding removes case and every diacritic and maps đ/Đ to d: Unicode has no decomposition
for đ, so `unicodedata` normalisation alone would leave it ("Đắk Lắk" → "đak lak").

Folding works character by character on NFC text, one character in, one out, so a match
found in folded text maps back to the same span of the original (used for highlighting).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_SPECIAL = {
    "đ": "d",
    "Đ": "d",
    "ð": "d",
    "Ð": "d",
    "ı": "i",
    "ł": "l",
    "Ł": "l",
    "ø": "o",
    "Ø": "o",
}
_TOKEN_RE = re.compile(r"[0-9a-z]+")
_WORD_RE = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """One NFC character → one lower-case ASCII-ish character ('ắ' → 'a', 'Đ' → 'd')."""
    if char in _SPECIAL:
        return _SPECIAL[char]
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    base = base.lower()
    return base if len(base) == 1 else char.lower()[:1] or " "


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def fold_aligned(text: str) -> str:
    """Fold an NFC string keeping its length, so offsets stay valid in the original."""
    return "".join(fold_char(c) for c in text)


def fold(text: str) -> str:
    """'Vải thiều Đắk Lắk' → 'vai thieu dak lak' (case, diacritics and đ folded)."""
    return fold_aligned(nfc(text))


def tokens(text: str) -> list[str]:
    """The folded search tokens of a text: runs of ASCII letters and digits."""
    return _TOKEN_RE.findall(fold(text))


def folded_text(*parts: str) -> str:
    """Folded tokens joined by single spaces: what the database engine indexes."""
    return " ".join(t for part in parts for t in tokens(part))


def exact_words(text: str) -> list[str]:
    """Lower-case words keeping their diacritics ('Nước mắm' → ['nước', 'mắm'])."""
    return [w.lower() for w in _WORD_RE.findall(nfc(text))]


def exact_text(*parts: str) -> str:
    """Space-padded lower-case words with diacritics: ' nước mắm phan thiết '.

    Used to rank exact-accent matches first: a query word 'mắm' is looked up as ' mắm '.
    """
    return " " + " ".join(w for part in parts for w in exact_words(part)) + " "


def accented_words(text: str) -> list[str]:
    """The words of a query typed with diacritics (or đ): they earn an exact-match boost."""
    return [w for w in exact_words(text) if fold(w) != w]


ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def edits1(word: str) -> set[str]:
    """Every string one edit away (delete, transpose, replace, insert) from a folded word."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in ALPHABET if c != b[0]}
    inserts = {a + c + b for a, b in splits for c in ALPHABET}
    return (deletes | transposes | replaces | inserts) - {word}


# Words of this many letters or more tolerate one typo (shorter ones would match too much).
TYPO_MIN_LENGTH = 5


def highlight(text: str, terms: set[str], prefixes: set[str] | None = None) -> SafeString:
    """HTML-escape `text` and wrap each word whose folded form is a query term in <mark>."""
    text = nfc(text)
    folded = fold_aligned(text)
    prefixes = prefixes or set()
    out: list[str] = []
    last = 0
    for match in re.finditer(r"[0-9a-z]+", folded):
        word = match.group()
        end = None
        if word in terms:
            end = match.end()
        else:
            for prefix in prefixes:
                if word.startswith(prefix):
                    end = match.start() + len(prefix)
                    break
        if end is None:
            continue
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(text[match.start() : end])}</mark>")
        last = end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))

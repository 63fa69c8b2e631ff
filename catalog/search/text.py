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


class _FoldTable(dict):
    """code point → folded character, filled on first sight (for `str.translate`, in C)."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold_aligned(text: str) -> str:
    """Fold an NFC string keeping its length, so offsets stay valid in the original."""
    return text.translate(_FOLD_TABLE)


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


# -- Telex and VNI typed without an input method -------------------------------------------
#
# Shoppers without a Vietnamese keyboard type the keys an input method would have turned into
# diacritics: Telex "nuwowcs mamws", VNI "nu7o7c1 ma8m1". Decoding them is a small state
# machine: letters are collected with their shape (â ê ô by doubling or 6, ă by w or 8,
# ơ ư by w or 7, đ by dd or d9); a tone key (s f r x j / 1–5) anywhere after the first vowel
# sets the tone, which is then placed by the usual (old-style) rule.

_VOWELS = "aeiouy"
# (plain letter, shape) → composed letter; shape: "^" circumflex, "(" breve, "+" horn.
_SHAPED = {
    ("a", "^"): "â",
    ("e", "^"): "ê",
    ("o", "^"): "ô",
    ("a", "("): "ă",
    ("o", "+"): "ơ",
    ("u", "+"): "ư",
}
_SHAPES_OF = {char: key for key, char in _SHAPED.items()}
# Combining marks of the tones: 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng (0 = none).
TONE_MARKS = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_TELEX_TONES = {"s": 1, "f": 2, "r": 3, "x": 4, "j": 5, "z": 0}
_VNI_TONES = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "0": 0}
_VNI_SHAPES = {"6": "^", "7": "+", "8": "("}


def _is_vowel(letter: list[str]) -> bool:
    return letter[0] in _VOWELS


def _nucleus(chars: list[str]) -> list[int]:
    """Positions of the syllable's vowel nucleus (the u of qu- and the i of gi- excluded)."""
    vowels = [i for i, c in enumerate(chars) if fold_char(c) in _VOWELS]
    if (
        len(vowels) > 1
        and vowels[0] == 1
        and (chars[0], fold_char(chars[1])) in {("q", "u"), ("g", "i")}
    ):
        vowels = vowels[1:]
    run: list[int] = []
    for i in vowels:
        if run and i != run[-1] + 1:
            break
        run.append(i)
    return run


def place_tone(chars: list[str], tone: int) -> str:
    """Put a tone mark on the right vowel of a syllable (old style: hòa, thủy, người)."""
    chars = list(chars)
    nucleus = _nucleus(chars)
    if tone and nucleus:
        shaped = [i for i in nucleus if chars[i] in "âăêôơư"]
        if shaped:
            pos = shaped[-1]
        elif nucleus[-1] < len(chars) - 1 or len(nucleus) == 1:
            pos = nucleus[-1]  # a final consonant follows, or a single vowel
        elif len(nucleus) == 2:
            pos = nucleus[0]
        else:
            pos = nucleus[1]
        chars[pos] = unicodedata.normalize("NFC", chars[pos] + TONE_MARKS[tone])
    return "".join(chars)


def _apply_shape(letters: list[list[str]], shape: str) -> bool:
    """Give the nucleus a breve/horn (w, 7, 8) or a circumflex (6): True when one applied."""
    vowels = [i for i, letter in enumerate(letters) if _is_vowel(letter)]
    if len(letters) > 1 and letters[0][0] == "q" and letters[1][0] == "u":
        vowels = [i for i in vowels if i != 1]  # the u of qu- is part of the consonant
    if not vowels:
        return False
    if shape == "+":
        for a, b in zip(vowels, vowels[1:], strict=False):
            if b == a + 1 and letters[a][0] == "u" and letters[b][0] == "o":
                letters[a][1] = letters[b][1] = "+"  # uo → ươ
                return True
        if len(vowels) >= 2 and letters[vowels[0]][0] == "u" and letters[vowels[1]][0] == "a":
            letters[vowels[0]][1] = "+"  # ua → ưa (mưa)
            return True
    for i in reversed(vowels):
        base = letters[i][0]
        if shape == "+" and base in "aou":
            letters[i][1] = "(" if base == "a" else "+"
            return True
        if shape in "^(" and (base, shape) in _SHAPED:
            letters[i][1] = shape
            return True
    return False


def _compose(letters: list[list[str]], tone: int) -> str:
    chars = [_SHAPED.get((base, shape), base) for base, shape in letters]
    return place_tone(chars, tone)


def decode_telex(word: str) -> str | None:
    """'nuwowcs' → 'nước', 'vair' → 'vải', 'ddaaus' → 'đấu'; None if no Telex key was used."""
    letters: list[list[str]] = []
    tone, used = 0, False
    for ch in word.lower():
        has_vowel = any(_is_vowel(letter) for letter in letters)
        if ch in _TELEX_TONES and has_vowel:
            tone, used = _TELEX_TONES[ch], True
        elif ch == "w":
            if not _apply_shape(letters, "+"):
                letters.append(["u", "+"])  # a lone w is ư
            used = True
        elif ch in "aeo" and has_vowel:
            last = next(letter for letter in reversed(letters) if _is_vowel(letter))
            if last == [ch, ""] and (ch, "^") in _SHAPED:
                last[1] = "^"
                used = True
            else:
                letters.append([ch, ""])
        elif ch == "d" and letters and letters[0] == ["d", ""] and (len(letters) == 1 or has_vowel):
            letters[0] = ["đ", ""]
            used = True
        else:
            letters.append([ch, ""])
    return nfc(_compose(letters, tone)) if used else None


def decode_vni(word: str) -> str | None:
    """'va3i' → 'vải', 'thie6u2' → 'thiều', 'd9a61u' → 'đấu'; None if no VNI key was used."""
    letters: list[list[str]] = []
    tone, used = 0, False
    for ch in word.lower():
        has_vowel = any(_is_vowel(letter) for letter in letters)
        if ch in _VNI_TONES and has_vowel:
            tone, used = _VNI_TONES[ch], True
        elif ch in _VNI_SHAPES and has_vowel and _apply_shape(letters, _VNI_SHAPES[ch]):
            used = True
        elif ch == "9" and letters and letters[0] == ["d", ""]:
            letters[0] = ["đ", ""]
            used = True
        else:
            letters.append([ch, ""])
    return nfc(_compose(letters, tone)) if used else None


def _split_letter(char: str) -> tuple[str, str, int]:
    """'ế' → ('e', '^', 1): plain letter, shape and tone of one NFC character."""
    if char == "đ":
        return "đ", "", 0
    decomposed = unicodedata.normalize("NFD", char)
    tone = next((TONE_MARKS.index(m) for m in decomposed[1:] if m in TONE_MARKS[1:]), 0)
    without_tone = unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if c not in TONE_MARKS[1:])
    )
    if without_tone in _SHAPES_OF:
        base, shape = _SHAPES_OF[without_tone]
        return base, shape, tone
    return without_tone, "", tone


def encode(syllable: str, scheme: str = "telex", tone_after_vowel: bool = False) -> str:
    """The keys a Telex or VNI typist presses for a syllable ('nước' → 'nuwowcs' / 'nu7o7c1').

    The tone key goes last, or right after the toned vowel with `tone_after_vowel`.
    """
    keys: list[str] = []
    tone_key = ""
    for char in nfc(syllable.lower()):
        base, shape, tone = _split_letter(char)
        if base == "đ":
            keys.append("dd" if scheme == "telex" else "d9")
            continue
        if scheme == "telex":
            keys.append(base + {"^": base, "(": "w", "+": "w", "": ""}[shape])
        else:
            keys.append(base + {"^": "6", "(": "8", "+": "7", "": ""}[shape])
        if tone:
            table = _TELEX_TONES if scheme == "telex" else _VNI_TONES
            tone_key = next(k for k, v in table.items() if v == tone)
            if tone_after_vowel:
                keys.append(tone_key)
                tone_key = ""
    return "".join(keys) + tone_key

"""Forgive the way shoppers type: typos, Telex/VNI without an input method, words run together.

Engine-independent: `rewrite()` takes the folded words of a query and a look-up telling which
folded words the catalogue contains (its vocabulary), and returns, for each typed word, the
catalogue words or phrases that may stand for it. Every engine turns those alternatives into
its own query (OR within a word, AND across words).

For each typed word, in order, the first step that finds catalogue words wins:
1. the word itself, when the catalogue has it (an exact match is never second-guessed); an
   unknown word is kept too, beside its readings (the vocabulary may lag behind documents);
2. its Telex or VNI decoding ("nuwowcs" → nước, "va3i" → vải), a loan spelling
   ("cafe" → caphe, "fe" → phe) or an English shopper's word ("lychee" → vải thiều);
3. the word (or one of those forms) split into catalogue words: "caphe" → the phrase "ca phe";
4. catalogue words one edit away (a letter dropped, doubled, swapped or replaced), for words
   whose syllable has three letters or more (so a typed word of two letters or more).

`relaxed=True` (used when the strict query found nothing) also offers the words one edit away
from words the catalogue knows ("ca pha" is two real syllables, but no product has both), and
reports the words nothing resembles ("shrimp paste": "paste"), which the engine leaves out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from catalog.search.text import decode_telex, decode_vni, edits1, fold, nfc, tokens

# Which of these folded words does the catalogue contain?
Lookup = Callable[[set[str]], set[str]]

# Typed words this short are never corrected by edits (a two-letter typed word may still be a
# three-letter syllable with a letter dropped: "mt" → "mat").
EDIT_MIN_TYPED = 2
EDIT_MIN_RESULT = 3
MAX_ALTERNATIVES = 12
MAX_SPLIT_PARTS = 3
SPLIT_MIN_PART = 2

# Letters Vietnamese spelling does not use, as shoppers type loan words: "cafe", "zô", "ka".
_LOAN_RULES = [
    (re.compile(r"f"), "ph"),
    (re.compile(r"dz"), "d"),
    (re.compile(r"z"), "d"),
    (re.compile(r"k(?=[aou])"), "c"),
    (re.compile(r"w"), "qu"),
]

# Words an English-speaking shopper types for products whose names are only in Vietnamese.
ENGLISH_WORDS = {
    "lychee": "vải thiều",
    "lychees": "vải thiều",
    "litchi": "vải thiều",
    "longan": "nhãn",
    "pomelo": "bưởi",
    "mango": "xoài",
    "orange": "cam",
    "shrimp": "tôm",
    "prawn": "tôm",
    "lacquer": "sơn mài",
    "lacquerware": "sơn mài",
    "tray": "mâm",
    "wooden": "gỗ",
    "wood": "gỗ",
    "forest": "rừng",
    "wild": "rừng",
    "peanut": "lạc",
    "cinnamon": "quế",
    "pepper": "tiêu",
    "garlic": "tỏi",
    "ginseng": "sâm",
    "mushroom": "nấm",
    "brocade": "thổ cẩm",
    "silk": "lụa",
    "wine": "rượu",
    "tea": "chè",
    "coffee": "cà phê",
    "honey": "mật ong",
}


@dataclass
class Rewrite:
    """What a query's words may stand for in the catalogue."""

    # Per typed word, the folded catalogue words or phrases ("ca phe") any of which may match.
    alternatives: list[list[str]]
    # Typed word → what it was read as, accented when known ("vair" → ["vải"]).
    corrections: dict[str, list[str]] = field(default_factory=dict)
    # Accented words recovered from Telex/VNI: they earn the exact-accent boost.
    accented: list[str] = field(default_factory=list)
    # Positions of words nothing in the catalogue resembles (a relaxed search leaves them out).
    unmatched: list[int] = field(default_factory=list)

    def terms(self) -> set[str]:
        return {word for alts in self.alternatives for alt in alts for word in alt.split()}


def loan_forms(word: str) -> list[str]:
    out = []
    for pattern, replacement in _LOAN_RULES:
        changed = pattern.sub(replacement, word)
        if changed != word:
            out.append(changed)
    everything = word
    for pattern, replacement in _LOAN_RULES:
        everything = pattern.sub(replacement, everything)
    if everything != word and everything not in out:
        out.append(everything)
    return out


def typed_forms(word: str) -> list[tuple[str, str]]:
    """(folded form, how to show it) for each other reading of a typed word."""
    forms: list[tuple[str, str]] = []
    for decoded in (decode_telex(word), decode_vni(word)):
        if decoded:
            folded = " ".join(tokens(decoded))
            if folded and folded != word:
                forms.append((folded, decoded))
    for loan in loan_forms(word):
        forms.append((loan, loan))
    english = ENGLISH_WORDS.get(word)
    if english:
        forms.append((fold(english), english))
    seen: set[str] = set()
    return [f for f in forms if not (f[0] in seen or seen.add(f[0]))]


def _splits(word: str, known: set[str], parts: int = MAX_SPLIT_PARTS) -> list[list[str]]:
    """Ways to cut a word into catalogue words of two letters or more, fewest pieces first."""
    out: list[list[str]] = []
    if parts <= 1:
        return [[word]] if word in known else []
    for i in range(SPLIT_MIN_PART, len(word) - SPLIT_MIN_PART + 1):
        head = word[:i]
        if head not in known:
            continue
        tail = word[i:]
        if tail in known:
            out.append([head, tail])
        elif parts > 2:
            out.extend([head, *rest] for rest in _splits(tail, known, parts - 1))
    return sorted(out, key=len)


def _substrings(word: str) -> set[str]:
    return {
        word[i:j]
        for i in range(len(word))
        for j in range(i + SPLIT_MIN_PART, len(word) + 1)
        if j - i < len(word)
    }


def _edit_candidates(word: str) -> set[str]:
    if len(word) < EDIT_MIN_TYPED:
        return set()
    return {e for e in edits1(word) if len(e) >= EDIT_MIN_RESULT}


def _shown(phrase: str, display: dict[str, str]) -> str:
    return display.get(phrase, phrase)


def rewrite(words: list[str], lookup: Lookup, relaxed: bool = False) -> Rewrite:
    """Read each folded query word as the catalogue words it may stand for (see module doc).

    Two look-ups at most: the words, their other readings and their pieces; then, for the
    words still unmatched (or every word when relaxed), the words one edit away.
    """
    forms = {w: typed_forms(w) for w in words}
    first: set[str] = set(words)
    for w in words:
        for folded, _shown_as in forms[w]:
            first.update(folded.split())
            if " " not in folded:
                first |= _substrings(folded)
        first |= _substrings(w)
    known = lookup(first) if first else set()

    alternatives: dict[str, list[str]] = {}
    corrections: dict[str, list[str]] = {}
    accented: list[str] = []
    display: dict[str, str] = {}
    pending: list[str] = []
    for w in words:
        if w in known:
            alternatives[w] = [w]
            if relaxed and len(w) >= EDIT_MIN_TYPED:
                pending.append(w)
            continue
        found = []
        for folded, shown in forms[w]:
            if all(part in known for part in folded.split()):
                found.append(folded)
                display[folded] = shown
                if fold(shown) != shown.lower():
                    accented.extend(t.lower() for t in nfc(shown).split())
        if not found:
            for candidate in [w, *(f for f, _ in forms[w] if " " not in f)]:
                for pieces in _splits(candidate, known):
                    found.append(" ".join(pieces))
        if found:
            # The typed word stays too: the vocabulary may lag behind the documents.
            readings = list(dict.fromkeys(found))[:MAX_ALTERNATIVES]
            alternatives[w] = [w, *readings]
            corrections[w] = [_shown(a, display) for a in readings]
        else:
            alternatives[w] = [w]
            pending.append(w)

    edits: dict[str, set[str]] = {}
    for w in pending:
        edits[w] = _edit_candidates(w)
        for folded, _ in forms[w]:
            if " " not in folded:
                edits[w] |= _edit_candidates(folded)
    wanted = set().union(*edits.values()) if edits else set()
    close = lookup(wanted) if wanted else set()
    for w in pending:
        found = sorted(edits[w] & close, key=lambda e: (abs(len(e) - len(w)), e))
        if not found:
            continue
        alternatives[w] = [w, *found[:MAX_ALTERNATIVES]]  # the typed word stays first
        if w not in known:
            corrections[w] = found[:MAX_ALTERNATIVES]
    unmatched = [i for i, w in enumerate(words) if w not in known and w not in corrections]
    if relaxed and len(unmatched) < len(words):
        for i in unmatched:
            corrections[words[i]] = []  # left out
    return Rewrite(
        alternatives=[alternatives[w] for w in words],
        corrections=corrections,
        accented=list(dict.fromkeys(accented)),
        unmatched=unmatched,
    )


def did_you_mean(text: str, corrections: dict[str, list[str]], titles: list[str]) -> str:
    """The query with each corrected word replaced by the reading the top results contain.

    A reading found in a result's title is shown with that title's accents ("theu" → "thiều"
    when *Vải thiều Lục Ngạn* came first); otherwise the first reading.
    """
    words_in_titles: dict[str, str] = {}
    for title in titles:
        original = re.findall(r"\w+", nfc(title))
        for i in range(len(original)):
            for size in (1, 2, 3):
                chunk = original[i : i + size]
                key = " ".join(t for w in chunk for t in tokens(w))
                words_in_titles.setdefault(key, " ".join(chunk).lower())
    out = []
    for word in tokens(text):
        readings = corrections.get(word)
        if readings is None:
            out.append(word)
            continue
        if not readings:  # left out: nothing in the catalogue resembles it
            continue
        chosen = next(
            (words_in_titles[fold(r)] for r in readings if fold(r) in words_in_titles), ""
        )
        out.append(chosen or readings[0])
    return " ".join(out)


@dataclass
class Relaxed:
    """The "closest matches" reading of a query, tried when the strict reading found nothing."""

    # The strict readings of the words something in the catalogue resembles (the others are
    # left out), with the relaxed reading's corrections and accents (what the page reports).
    reading: Rewrite
    # What each engine tries, in order, until one finds something: None for those words as
    # typed, then per word its wider readings, ONE word at a time (`conjunctions`).
    attempts: list[list[list[str]] | None]


def relaxed_reading(words: list[str], strict: Rewrite, lookup: Lookup) -> Relaxed:
    """The closest matches of `words`, whose `strict` reading found nothing (both engines)."""
    loose = rewrite(words, lookup, relaxed=True)
    keep = [i for i in range(len(words)) if i not in loose.unmatched]
    kept = Rewrite(
        alternatives=[strict.alternatives[i] for i in keep],
        corrections=loose.corrections,
        accented=loose.accented,
    )
    wider = [loose.alternatives[i] for i in keep]
    # First the other words as typed, then one word at a time read loosely.
    attempts: list[list[list[str]] | None] = [None] if len(keep) < len(words) else []
    if wider != kept.alternatives:
        attempts.append(wider)
    return Relaxed(kept, attempts if keep else [])


def conjunctions(strict: list[list[str]], loose: list[list[str]] | None) -> list[list[list[str]]]:
    """The word lists any of which may match: `strict` alone, unless relaxed, where ONE word at
    a time may use its wider `loose` readings (one mistyped real syllable per query)."""
    if not loose:
        return [strict]
    out = [
        [*strict[:i], wider, *strict[i + 1 :]]
        for i, wider in enumerate(loose)
        if wider != strict[i]
    ]
    return out or [strict]

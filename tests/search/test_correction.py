"""Reading typed words as catalogue words, whatever the engine (a vocabulary in, readings out)."""

from __future__ import annotations

import pytest

from catalog.search.correction import did_you_mean, rewrite
from catalog.search.text import tokens

VOCABULARY = set(
    tokens(
        "Vải thiều Lục Ngạn; Nước mắm Phan Thiết; Cà phê Robusta Đắk Lắk; Mật ong hoa nhãn; "
        "Mâm gỗ sơn mài; Chè Shan tuyết; Mắm tôm; honey coffee tea fish sauce"
    )
)


def lookup(words: set[str]) -> set[str]:
    return words & VOCABULARY


def read(text: str, relaxed: bool = False) -> list[list[str]]:
    """The readings of each word, without the typed word itself when the catalogue lacks it."""
    words = tokens(text)
    alternatives = rewrite(words, lookup, relaxed=relaxed).alternatives
    return [
        [a for a in alts if a != w or w in VOCABULARY] or alts
        for w, alts in zip(words, alternatives, strict=True)
    ]


def test_known_words_are_read_as_typed():
    assert read("vai thieu luc ngan") == [["vai"], ["thieu"], ["luc"], ["ngan"]]


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("theu", "thieu"),  # dropped
        ("thiieu", "thieu"),  # doubled
        ("tiheu", "thieu"),  # swapped
        ("thieo", "thieu"),  # replaced
        ("mamm", "mam"),  # a three-letter syllable
        ("nuc", "nuoc"),
        ("mt", "mat"),  # two letters typed for a three-letter syllable
    ],
)
def test_one_typo_in_a_syllable_of_three_letters_or_more_is_forgiven(typed, word):
    assert word in read(typed)[0]


def test_short_words_are_not_corrected_into_two_letter_words():
    assert all(len(alt) >= 3 for alt in read("xa")[0] if alt != "xa")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("vair thieeuf luc ngan", [["vai"], ["thieu"], ["luc"], ["ngan"]]),
        ("nuwowcs mamws", [["nuoc"], ["mam"]]),
        ("va3i thie6u2", [["vai"], ["thieu"]]),
        ("caphe", [["ca phe"]]),
        ("cafe", [["ca phe"]]),
        ("ca fe", [["ca"], ["phe"]]),
        ("matong", [["mat ong"]]),
        ("lychee", [["vai thieu"]]),
    ],
)
def test_telex_vni_run_together_and_loan_spellings(typed, expected):
    assert read(typed) == expected


def test_telex_words_earn_the_exact_accent_boost_and_a_correction():
    reading = rewrite(tokens("nuwowcs mamws"), lookup)
    assert reading.accented == ["nước", "mắm"]
    assert reading.corrections == {"nuwowcs": ["nước"], "mamws": ["mắm"]}


def test_relaxed_reading_also_offers_neighbours_of_known_words():
    assert read("mam ong") == [["mam"], ["ong"]]  # both are catalogue words
    relaxed = read("mam ong", relaxed=True)
    assert relaxed[0][0] == "mam" and "mat" in relaxed[0]


def test_unknown_words_without_neighbours_stay_as_typed():
    assert read("xyzzyq") == [["xyzzyq"]]


def test_did_you_mean_takes_the_accents_of_the_top_result():
    corrections = {"theu": ["theo", "thieu"], "mamws": ["mắm"]}
    assert did_you_mean("vai theu", corrections, ["Vải thiều Lục Ngạn"]) == "vai thiều"
    assert did_you_mean("nuoc mamws", corrections, []) == "nuoc mắm"
    assert did_you_mean("caphe", {"caphe": ["ca phe"]}, ["Cà phê Robusta"]) == "cà phê"


def test_relaxed_reading_reports_words_nothing_resembles():
    reading = rewrite(tokens("shrimp paste"), lookup, relaxed=True)
    assert reading.unmatched == [1]
    assert reading.corrections == {"shrimp": ["tôm"], "paste": []}
    assert did_you_mean("shrimp paste", reading.corrections, ["Mắm tôm Sầm Sơn"]) == "tôm"

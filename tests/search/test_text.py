from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from catalog.search.text import (
    decode_telex,
    decode_vni,
    edits1,
    encode,
    exact_text,
    fold,
    highlight,
    place_tone,
    tokens,
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Vải thiều Lục Ngạn", "vai thieu luc ngan"),
        ("ĐẮK LẮK", "dak lak"),
        ("đường phèn", "duong phen"),
        ("Nước mắm Phan Thiết", "nuoc mam phan thiet"),
        ("Ỷ Lan, Ỹ, ỵ", "y lan, y, y"),
    ],
)
def test_fold_removes_case_every_diacritic_and_d_stroke(text, folded):
    assert fold(text) == folded


def test_fold_treats_decomposed_input_like_composed():
    assert fold(unicodedata.normalize("NFD", "Đắk Lắk")) == "dak lak"


def test_tokens_drop_punctuation():
    assert tokens("Mắm tôm (hũ 500g), loại 1") == ["mam", "tom", "hu", "500g", "loai", "1"]


def test_exact_text_keeps_accents_for_the_exact_match_boost():
    assert exact_text("Nước MẮM") == " nước mắm "


def test_highlight_marks_matches_in_the_original_text_and_escapes_html():
    assert highlight("Vải <b>thiều</b>", {"vai", "thieu"}) == (
        "<mark>Vải</mark> &lt;b&gt;<mark>thiều</mark>&lt;/b&gt;"
    )


def test_highlight_marks_only_the_prefix_part():
    assert highlight("Mật ong", {"mat"}, {"o"}) == "<mark>Mật</mark> <mark>o</mark>ng"


def test_edits1_has_deletions_insertions_swaps_and_replacements():
    variants = edits1("thieu")
    assert {"thieeu", "thiue", "thie", "thiet"} <= variants
    assert "thieu" not in variants


# -- Telex and VNI ----------------------------------------------------------------------------

INITIALS = ["", "b", "c", "ch", "d", "đ", "g", "gh", "h", "k", "kh", "l", "m", "n", "ng", "ngh"]
INITIALS += ["nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x", "gi"]
# Rhymes (vowel nucleus + final) as written without a tone.
RHYMES = ["a", "ai", "ao", "au", "ay", "an", "ang", "anh", "ac", "ach", "am", "ap", "at"]
RHYMES += ["ă", "ăn", "ăng", "ăc", "ăm", "ăp", "ăt", "â", "âu", "ây", "ân", "âng", "âc", "âm"]
RHYMES += ["e", "eo", "en", "eng", "ec", "em", "ep", "et", "ê", "êu", "ên", "ênh", "êch", "êm"]
RHYMES += ["i", "ia", "iu", "in", "inh", "ich", "im", "ip", "it", "iêu", "iên", "iêng", "iêc"]
RHYMES += ["o", "oa", "oai", "oan", "oang", "oac", "oe", "oi", "on", "ong", "oc", "om", "op"]
RHYMES += ["ô", "ôi", "ôn", "ông", "ôc", "ôm", "ôt", "ơ", "ơi", "ơn", "ơm", "ơt", "u", "ua"]
RHYMES += ["ui", "un", "ung", "uc", "um", "ut", "uy", "uyên", "uyêt", "uôi", "uôn", "uông"]
RHYMES += ["uôc", "ư", "ưa", "ưi", "ưu", "ưng", "ưc", "ưt", "ươi", "ươu", "ươn", "ương"]
RHYMES += ["ươc", "ươm", "ươp", "ươt", "y", "yên", "yêu", "yêt"]
# Checked syllables (ending in c, ch, p, t) take only sắc or nặng.
CHECKED = ("c", "ch", "p", "t")


@st.composite
def syllables(draw) -> str:
    initial = draw(st.sampled_from(INITIALS))
    rhyme = draw(st.sampled_from(RHYMES))
    assume(not (initial == "qu" and rhyme[0] in "uư"))  # no "quu", "quư"
    if initial == "gi" and rhyme[0] == "i":
        initial = "g"  # gi + i is written gi: "gìn"
    tones = [1, 5] if rhyme.endswith(CHECKED) else [0, 1, 2, 3, 4, 5]
    tone = draw(st.sampled_from(tones))
    return unicodedata.normalize("NFC", place_tone(list(initial + rhyme), tone))


@settings(max_examples=400, deadline=None)
@given(syllables(), st.sampled_from(["telex", "vni"]), st.booleans())
def test_a_syllable_typed_in_telex_or_vni_decodes_back(syllable, scheme, tone_after_vowel):
    typed = encode(syllable, scheme, tone_after_vowel=tone_after_vowel)
    decode = decode_telex if scheme == "telex" else decode_vni
    expected = syllable if typed != fold(syllable) else None  # nothing to decode
    assert decode(typed) == expected


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("vair", "vải"),
        ("thieeuf", "thiều"),
        ("nuwowcs", "nước"),
        ("mamws", "mắm"),
        ("ddawks", "đắk"),
        ("hoaf", "hòa"),
        ("thuyr", "thủy"),
        ("nguwowif", "người"),
        ("quys", "quý"),
        ("giaf", "già"),
        ("w", "ư"),
    ],
)
def test_telex_decodes_to_the_vietnamese_word(typed, word):
    assert decode_telex(typed) == word


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("va3i", "vải"),
        ("thie6u2", "thiều"),
        ("nu7o71c", "nước"),
        ("ma81m", "mắm"),
        ("d9a8k1", "đắk"),
    ],
)
def test_vni_decodes_to_the_vietnamese_word(typed, word):
    assert decode_vni(typed) == word


@pytest.mark.parametrize("word", ["vai", "luc", "ngan", "500g", "40", "mat"])
def test_plain_words_are_not_telex_or_vni(word):
    assert decode_telex(word) is None
    assert decode_vni(word) is None


def test_tone_goes_on_the_shaped_vowel_then_before_a_final_then_old_style():
    assert place_tone(list("tuyêt"), 1) == "tuyết"
    assert place_tone(list("hoan"), 2) == "hoàn"
    assert place_tone(list("hoa"), 2) == "hòa"
    assert place_tone(list("khuyu"), 3) == "khuỷu"

from __future__ import annotations

import unicodedata

import pytest

from catalog.search.text import edits1, exact_text, fold, highlight, tokens


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

"""One behaviour suite, run against every available engine (see conftest.ENGINES)."""

from __future__ import annotations

import datetime as dt

import pytest

from catalog.search.query import SearchQuery
from catalog.search.text import fold

pytestmark = pytest.mark.django_db


def titles(engine, **kwargs) -> list[str]:
    return [hit.title for hit in engine.search(SearchQuery(**kwargs)).hits]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("vai thieu luc ngan", "Vải thiều Lục Ngạn"),
        ("dak lak", "Cà phê Robusta Đắk Lắk"),
        ("nuoc mam phan thiet", "Nước mắm Phan Thiết 40 độ đạm"),
        ("VẢI THIỀU", "Vải thiều Lục Ngạn"),
        ("Đắk Lắk", "Cà phê Robusta Đắk Lắk"),
        ("DAK LAK ca phe", "Cà phê Robusta Đắk Lắk"),
    ],
)
def test_query_folded_like_the_catalogue_finds_the_product(engine, typed, expected):
    assert titles(engine, text=typed)[0] == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("vai thieeu", "Vải thiều Lục Ngạn"),  # inserted letter
        ("ca phe robsuta", "Cà phê Robusta Đắk Lắk"),  # swapped letters
        ("nuoc mam phan thiit", "Nước mắm Phan Thiết 40 độ đạm"),  # wrong letter
        ("che shan tuyeet", "Chè Shan tuyết cổ thụ"),
        ("ca phe robsta", "Cà phê Robusta Đắk Lắk"),  # missing letter
    ],
)
def test_one_typo_in_a_long_word_still_finds_the_product(engine, typed, expected):
    assert expected in titles(engine, text=typed)


def test_words_must_all_match(engine):
    assert titles(engine, text="mat ong phan thiet") == []


def test_only_live_products_with_a_valid_certificate_are_searchable(engine, catalogue):
    found = titles(engine, text="mat ong")
    assert sorted(found) == ["Mật ong hoa nhãn", "Mật ong rừng U Minh"]
    everything = titles(engine, page_size=100)
    for page in catalogue.hidden.values():
        assert page.title not in everything
    assert len(everything) == len(catalogue.products)


def test_product_leaves_search_the_day_its_certificate_expires(engine, catalogue):
    cert = catalogue.products["Vải thiều Lục Ngạn"].current_certificate
    assert "Vải thiều Lục Ngạn" in titles(engine, text="vai thieu", on=cert.expires_on)
    day_after = cert.expires_on + dt.timedelta(days=1)
    assert "Vải thiều Lục Ngạn" not in titles(engine, text="vai thieu", on=day_after)


def test_accented_query_ranks_exact_accent_matches_first(engine):
    found = titles(engine, text="mắm")
    assert found.index("Mâm gỗ sơn mài") > max(
        found.index("Mắm tôm Sầm Sơn"), found.index("Nước mắm Phan Thiết 40 độ đạm")
    )
    assert titles(engine, text="mâm")[0] == "Mâm gỗ sơn mài"


def test_unaccented_query_finds_every_accent_variant(engine):
    assert set(titles(engine, text="mam")) == {
        "Mắm tôm Sầm Sơn",
        "Nước mắm Phan Thiết 40 độ đạm",
        "Mâm gỗ sơn mài",
    }


def test_suggestions_complete_the_last_word(engine):
    suggestions = [s.text for s in engine.suggest("mat o")]
    assert sorted(suggestions) == ["Mật ong hoa nhãn", "Mật ong rừng U Minh"]


def test_suggestions_are_highlighted_and_certified_only(engine):
    suggestions = engine.suggest("vai th")
    assert [s.text for s in suggestions] == ["Vải thiều Lục Ngạn"]
    assert "<mark>Vải</mark>" in suggestions[0].text_html


def test_matches_are_highlighted_in_title_and_summary(engine):
    hit = engine.search(SearchQuery(text="vai thieu luc ngan")).hits[0]
    assert (
        "<mark>Vải</mark> <mark>thiều</mark> <mark>Lục</mark> <mark>Ngạn</mark>" in hit.title_html
    )
    assert "<mark>Lục</mark> <mark>Ngạn</mark>" in hit.summary_html


def test_total_and_hit_fields(engine):
    results = engine.search(SearchQuery(text="ca phe"))
    assert results.total == 1
    hit = results.hits[0]
    assert (hit.stars, hit.min_price, hit.province_code, hit.variant_count) == (5, 250_000, 66, 2)
    assert hit.in_stock is True


def test_out_of_stock_products_stay_searchable(engine):
    hit = engine.search(SearchQuery(text="shan tuyet")).hits[0]
    assert hit.in_stock is False


def test_facet_counts_ignore_their_own_filter_but_apply_the_others(engine):
    results = engine.search(SearchQuery(stars=[4]))
    assert results.total == 4
    # The stars facet counts as if no star filter were set …
    assert results.facets["stars"] == {3: 3, 4: 4, 5: 1}
    # … the others count only 4★ products.
    assert results.facets["province"] == {24: 1, 68: 1, 33: 2}
    assert results.facets["kind"] == {"htx": 1, "hkd": 1, "tht": 2}


def test_filters_or_within_a_facet_and_across_facets(engine):
    assert engine.search(SearchQuery(stars=[3, 5])).total == 4
    both = engine.search(SearchQuery(stars=[3, 5], provinces=[24, 66]))
    assert sorted(h.title for h in both.hits) == ["Cà phê Robusta Đắk Lắk", "Mâm gỗ sơn mài"]
    assert both.facets["stars"] == {3: 1, 4: 1, 5: 1}
    assert both.facets["province"] == {24: 1, 66: 1, 68: 1, 33: 1}


def test_group_and_subgroup_filters(engine, catalogue):
    food = catalogue.top("nuoc-mam").pk
    crafts = catalogue.top("do-gia-dung-trang-tri").pk
    results = engine.search(SearchQuery(groups=[crafts]))
    assert [h.title for h in results.hits] == ["Mâm gỗ sơn mài"]
    assert results.facets["group"] == {food: 7, crafts: 1}
    sauce = catalogue.group("nuoc-mam").pk
    assert titles(engine, subgroups=[sauce]) == ["Nước mắm Phan Thiết 40 độ đạm"]
    assert titles(engine, text="mam", groups=[food]) != []


def test_producer_type_filter(engine):
    assert titles(engine, kinds=["dn"]) == ["Cà phê Robusta Đắk Lắk"]


def test_price_range_filter_and_price_facet(engine):
    results = engine.search(SearchQuery(price_min=100_000, price_max=199_999))
    assert sorted(h.title for h in results.hits) == ["Mật ong hoa nhãn", "Vải thiều Lục Ngạn"]
    assert results.facets["price"] == {0: 2, 1: 2, 2: 3, 3: 1}
    assert engine.search(SearchQuery(price_min=500_000)).total == 1


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        ("price_asc", "Mắm tôm Sầm Sơn", "Mâm gỗ sơn mài"),
        ("price_desc", "Mâm gỗ sơn mài", "Mắm tôm Sầm Sơn"),
        ("newest", "Mật ong rừng U Minh", "Chè Shan tuyết cổ thụ"),
    ],
)
def test_sorting(engine, sort, first, last):
    found = titles(engine, sort=sort, page_size=100)
    assert (found[0], found[-1]) == (first, last)


def test_sort_by_stars_puts_five_stars_first(engine):
    found = engine.search(SearchQuery(sort="stars", page_size=100)).hits
    assert [h.stars for h in found] == sorted((h.stars for h in found), reverse=True)
    assert found[0].title == "Cà phê Robusta Đắk Lắk"


def test_paging_covers_every_result_once(engine, catalogue):
    seen = []
    first = engine.search(SearchQuery(sort="newest", page_size=3))
    assert first.num_pages == 3
    for page in range(1, 4):
        seen += titles(engine, sort="newest", page_size=3, page=page)
    assert sorted(seen) == sorted(catalogue.products)


def test_typo_correction_is_offered_as_a_suggestion(engine):
    results = engine.search(SearchQuery(text="vai thieeu"))
    assert [fold(s) for s in results.suggestions] == ["vai thieu"]


def test_nothing_found_gives_zero_total_and_empty_facets(engine):
    results = engine.search(SearchQuery(text="xyzzyq"))
    assert results.total == 0
    assert results.hits == []
    assert all(not counts for counts in results.facets.values())


def test_sort_by_name_follows_the_letters_without_their_marks(engine, catalogue):
    from catalog.search.text import folded_text

    found = titles(engine, sort="title", page_size=100)
    assert found == sorted(catalogue.products, key=folded_text)
    paged = []
    for page in range(1, 4):
        paged += titles(engine, sort="title", page_size=3, page=page)
    assert paged == found
    narrowed = titles(engine, sort="title", page_size=100, stars=[4, 5])
    assert narrowed and narrowed == [title for title in found if title in narrowed]

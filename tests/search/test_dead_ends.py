"""Search pages never end in a bare "no results", and say what the words were read as."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def url(name: str = "search:results", lang: str = "vi") -> str:
    with translation.override(lang):
        return reverse(name)


def test_nothing_like_the_words_offers_best_rated_products_and_the_groups(engine, client):
    response = client.get(url(), {"q": "xyzzyq"})
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["results"].total == 0
    nearest = [h.title for h in response.context["dead_end"].nearest]
    assert nearest[0] == "Cà phê Robusta Đắk Lắk"  # the only 5★ product
    assert 'class="hits grid nearest"' in body
    groups = {g.label: g.count for g in response.context["dead_end"].groups}
    assert groups == {"Thực phẩm": 7, "Hàng thủ công mỹ nghệ": 1}
    assert "?group=" in body


def test_words_no_product_has_together_offer_the_nearest_products(engine, client):
    response = client.get(url(), {"q": "mat ong phan thiet"})
    assert response.context["results"].total == 0
    nearest = [h.title for h in response.context["dead_end"].nearest]
    assert "Nước mắm Phan Thiết 40 độ đạm" in nearest
    assert {"Mật ong hoa nhãn", "Mật ong rừng U Minh"} <= set(nearest)


def test_filters_that_empty_the_page_offer_to_drop_them(engine, client):
    response = client.get(url(), {"q": "mat ong", "stars": "5"})
    assert response.context["results"].total == 0
    body = response.content.decode()
    no_results = body[body.index('<div class="no-results">') :]
    assert '<a href="?q=mat+ong">' in no_results  # the same search without the filters


def test_telex_query_finds_the_product_and_shows_the_vietnamese_words(engine, client):
    response = client.get(url(), {"q": "nuwowcs mamws"})
    titles = [h.title for h in response.context["results"].hits]
    assert titles[0] == "Nước mắm Phan Thiết 40 độ đạm"  # mắm before Mâm gỗ
    assert [text for text, _ in response.context["suggestion_urls"]] == ["nước mắm"]


def test_a_word_nothing_resembles_is_left_out_and_the_page_says_so(engine, client):
    response = client.get(url(), {"q": "mam tom qqqqqq"})
    results = response.context["results"]
    assert [h.title for h in results.hits] == ["Mắm tôm Sầm Sơn"]
    assert results.relaxed is True
    assert 'class="search-relaxed"' in response.content.decode()


def test_json_says_when_the_words_were_read_loosely(engine, client):
    data = client.get(url("search:api"), {"q": "vai theu"}).json()
    assert data["hits"][0]["title"] == "Vải thiều Lục Ngạn"
    assert data["suggestions"] == ["vai thiều"]
    assert data["relaxed"] is False

"""The search page and its JSON endpoints, served by whichever engine is configured."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import translation

from catalog.models import ProducerType
from catalog.search.text import fold

pytestmark = pytest.mark.django_db


def url(name: str = "search:results", lang: str = "vi") -> str:
    with translation.override(lang):
        return reverse(name)


def test_search_url_is_the_one_the_header_form_posts_to():
    assert url() == "/vi/tim-kiem/"
    assert url(lang="en") == "/en/tim-kiem/"


def test_search_page_shows_highlighted_hits_linking_to_the_product(engine, catalogue, client):
    product = catalogue.products["Vải thiều Lục Ngạn"]
    response = client.get(url(), {"q": "vai thieu luc ngan"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<mark>Vải</mark> <mark>thiều</mark>" in body
    assert f'href="{product.url}"' in body
    assert 'value="vai thieu luc ngan"' in body  # the header box keeps the query


def test_english_results_link_to_the_english_alias(engine, catalogue, client):
    from wagtail.models import Locale

    product = catalogue.products["Cà phê Robusta Đắk Lắk"]
    alias = product.get_translation(Locale.objects.get(language_code="en"))
    body = client.get(url(lang="en"), {"q": "dak lak"}).content.decode()
    assert alias.url.startswith("/en/")
    assert f'href="{alias.url}"' in body
    assert f'href="{product.url}"' not in body


def test_facets_show_live_counts_and_keep_the_state_in_the_url(engine, client):
    response = client.get(url(), {"q": "mat ong", "stars": "4"})
    body = response.content.decode()
    assert response.context["results"].total == 1
    stars = next(f for f in response.context["facets"] if f.name == "stars")
    assert {(o.value, o.count, o.selected) for o in stars.options} == {(3, 1, False), (4, 1, True)}
    assert 'name="stars" value="4" checked' in body
    three = next(o for o in stars.options if o.value == 3)
    assert "q=mat+ong" in three.url and "stars=4" in three.url and "stars=3" in three.url


def test_price_bucket_links_set_a_price_range(engine, client):
    response = client.get(url(), {"q": "mat ong"})
    price = next(f for f in response.context["facets"] if f.name == "price")
    assert [o.url for o in price.options] == [
        "?q=mat+ong&price_min=100000&price_max=199999",
        "?q=mat+ong&price_min=200000&price_max=499999",
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"stars": "abc"}, "“abc” is not a valid star rating"),
        ({"stars": "2"}, "“2” is not a valid star rating"),
        ({"price_min": "-5"}, "The lowest price must be a whole number"),
        ({"price_max": "lots"}, "The highest price must be a whole number"),
        ({"page": "999"}, "There is no page 999"),
        ({"page": "-1"}, "is not a page number"),
        ({"sort": "cheapest"}, "Unknown sort order"),
        ({"province": "999"}, "There is no province with code 999"),
        ({"group": "x"}, "is not a valid OCOP group"),
        ({"group": "9" * 40}, "is not a valid OCOP group"),  # past any database integer
        ({"subgroup": "0"}, "is not a valid"),
        ({"price_max": "9" * 30}, "The highest price must be a whole number"),
        ({"kind": "zz"}, "is not a producer type"),
    ],
)
def test_malformed_parameters_give_a_normal_page_with_a_clear_message(
    engine, client, params, message
):
    response = client.get(url(lang="en"), params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["results"].total > 0


def test_page_out_of_range_shows_the_last_page(engine, client):
    response = client.get(url(), {"page": "999"})
    assert response.context["results"].page == 1
    assert len(response.context["results"].hits) == 8


def test_search_page_needs_a_fixed_number_of_queries(engine, client, django_assert_max_num_queries):
    client.get(url(), {"q": "mat ong"})  # warm caches (site root paths, locales)
    with django_assert_max_num_queries(10):
        response = client.get(url(), {"q": "mam", "stars": ["3", "4"], "sort": "price_asc"})
    assert response.status_code == 200


def test_search_page_without_query_lists_every_product(engine, catalogue, client):
    response = client.get(url())
    assert response.context["results"].total == len(catalogue.products)


def test_did_you_mean_offers_the_corrected_query(engine, client):
    response = client.get(url(), {"q": "vai thieeu"})
    body = response.content.decode()
    [(text, link)] = response.context["suggestion_urls"]
    assert fold(text) == "vai thieu"  # with the top result's accents where the engine has them
    assert link == "?" + urlencode({"q": text})
    assert f'href="{link}"' in body


def test_json_search_returns_hits_facets_and_total(engine, catalogue, client):
    response = client.get(url("search:api"), {"q": "nuoc mam phan thiet", "kind": "hkd"})
    data = response.json()
    assert data["total"] == 1
    hit = data["hits"][0]
    assert hit["title"] == "Nước mắm Phan Thiết 40 độ đạm"
    assert hit["url"] == catalogue.products[hit["title"]].url
    assert hit["price_display"] == "95.000 ₫"
    assert "<mark>Nước</mark>" in hit["title_html"]
    with translation.override("vi"):
        label = str(ProducerType.HOUSEHOLD.label)
    assert {"value": "hkd", "label": label, "count": 1, "selected": True} in data["facets"]["kind"]


def test_json_search_reports_bad_parameters(engine, client):
    data = client.get(url("search:api"), {"price_min": "-5"}).json()
    assert data["errors"] and data["total"] == 8


def test_json_suggestions_complete_the_last_word(engine, catalogue, client):
    data = client.get(url("search:suggest"), {"q": "mat o"}).json()
    assert sorted(s["text"] for s in data["suggestions"]) == [
        "Mật ong hoa nhãn",
        "Mật ong rừng U Minh",
    ]
    assert all(s["url"].startswith("/vi/") for s in data["suggestions"])
    assert "<mark>Mật</mark> <mark>o</mark>ng" in data["suggestions"][0]["html"]


def test_json_suggestions_for_an_empty_box_are_empty(engine, client):
    assert client.get(url("search:suggest"), {"q": " "}).json()["suggestions"] == []


@pytest.mark.parametrize(
    ("lang", "relevance", "by_name"),
    [("en", "Relevance", "Name: A to Z"), ("vi", "Phù hợp nhất", "Tên: A đến Z")],
)
def test_sort_choices_are_in_the_pages_language(engine, client, lang, relevance, by_name):
    html = client.get(url(lang=lang), {"q": "mat ong"}).content.decode()
    assert f'<option value="relevance" selected>{relevance}</option>' in html
    assert f'<option value="title">{by_name}</option>' in html

"""English name, summary and story of products (and producers) on the /en/ site.

The English tree is made of aliases of the Vietnamese pages: a cooperative gives the English text
on the Vietnamese page's "English" tab and the alias shows it after publishing. Where no English
text exists the Vietnamese one is shown, marked lang="vi", and the page says so.
"""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache
from wagtail.models import Locale

from cms.services import translate_tree
from tests.factories import edit_form_data, make_product

NOTICE = "not yet translated"
STORY_NOTICE = "available only in Vietnamese"


def _en(page):
    return page.get_translation(Locale.objects.get(language_code="en"))


def _jsonld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def _story(text: str) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


@pytest.fixture
def honey(producer, site):
    page = make_product(
        producer,
        title="Mật ong hoa nhãn",
        summary="Mật ong nguyên chất từ vườn nhãn.",
        title_en="Longan blossom honey",
        summary_en="Pure honey from longan orchards.",
        story_en=_story("Bees forage the orchards of Hưng Yên."),
        story=_story("Ong hút mật trên vườn nhãn Hưng Yên."),
    )
    translate_tree(site)
    return page


@pytest.fixture
def tea(producer, site):
    page = make_product(
        producer,
        title="Chè Shan tuyết",
        summary="Chè cổ thụ trên núi cao.",
        story=_story("Cây chè hàng trăm năm tuổi."),
    )
    translate_tree(site)
    return page


def test_english_page_shows_the_english_name_summary_and_story(client, honey):
    html = client.get(_en(honey).url).content.decode()
    assert "<h1>Longan blossom honey</h1>" in html
    assert "Pure honey from longan orchards." in html
    assert "Bees forage the orchards" in html
    assert "Ong hút mật" not in html
    assert NOTICE not in html and STORY_NOTICE not in html
    assert "<title>Longan blossom honey ·" in html


def test_vietnamese_page_keeps_the_vietnamese_text(client, honey):
    html = client.get(honey.url).content.decode()
    assert "<h1>Mật ong hoa nhãn</h1>" in html
    assert "Ong hút mật trên vườn nhãn" in html
    assert "Longan blossom honey" not in html
    assert 'lang="vi"' not in html.split("<body", 1)[1]


def test_english_page_says_plainly_when_text_exists_only_in_vietnamese(client, tea):
    html = client.get(_en(tea).url).content.decode()
    assert '<h1 lang="vi">Chè Shan tuyết</h1>' in html
    assert '<p class="summary" lang="vi">Chè cổ thụ trên núi cao.</p>' in html
    assert NOTICE in html
    assert STORY_NOTICE in html
    assert re.search(r'<div lang="vi">.*Cây chè hàng trăm năm tuổi', html, re.S)


def test_json_ld_names_the_product_in_the_pages_language(client, honey, tea):
    english = _jsonld(client.get(_en(honey).url).content.decode())
    assert english["name"] == "Longan blossom honey"
    assert english["description"] == "Pure honey from longan orchards."
    assert english["inLanguage"] == "en"
    assert _jsonld(client.get(honey.url).content.decode())["name"] == "Mật ong hoa nhãn"
    assert _jsonld(client.get(_en(tea).url).content.decode())["name"] == "Chè Shan tuyết"


def test_english_listing_cards_use_the_english_name_where_given(client, honey, tea):
    html = client.get("/en/san-pham/").content.decode()
    assert '<h3 class="card-title">Longan blossom honey</h3>' in html
    assert '<h3 class="card-title" lang="vi">Chè Shan tuyết</h3>' in html
    assert "Longan blossom honey" not in client.get("/vi/san-pham/").content.decode()


def test_english_search_finds_and_names_the_product_in_english(client, honey):
    from catalog.search.base import get_search_engine

    get_search_engine().rebuild()
    html = client.get("/en/tim-kiem/", {"q": "longan honey"}).content.decode()
    assert "Longan blossom honey" in html
    assert "Mật ong hoa nhãn" not in html.split("<main", 1)[1]
    vietnamese = client.get("/vi/tim-kiem/", {"q": "longan honey"}).content.decode()
    assert "Mật ong hoa nhãn" in vietnamese


def test_producer_page_shows_english_name_and_story(client, producer, honey):
    producer_page = honey.get_parent().specific
    producer_page.title_en = "Longan Honey Cooperative"
    producer_page.story_en = "<p>Founded by twelve beekeepers.</p>"
    producer_page.save_revision().publish()
    html = client.get(_en(producer_page).url).content.decode()
    assert "<h1>Longan Honey Cooperative</h1>" in html
    assert "Founded by twelve beekeepers." in html
    assert STORY_NOTICE not in html


def test_admin_english_tab_saves_text_shown_on_english_page_and_purges_its_cache(
    client, honey, officer, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    english_url = _en(honey).url
    anonymous = type(client)()
    assert anonymous.get(english_url).get("X-Page-Cache") == "miss"
    assert anonymous.get(english_url).get("X-Page-Cache") == "hit"

    client.force_login(officer)
    edit_url = f"/admin/pages/{honey.pk}/edit/"
    form = client.get(edit_url).content.decode()
    assert 'id="tab-label-english"' in form or ">English<" in form
    data = edit_form_data(honey, title_en="Longan flower honey", summary_en="Raw honey.")
    data["action-publish"] = "action-publish"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    fresh = anonymous.get(english_url)
    assert fresh.get("X-Page-Cache") == "miss"
    assert "<h1>Longan flower honey</h1>" in fresh.content.decode()
    assert "Raw honey." in fresh.content.decode()
    cache.clear()


def test_english_fields_respect_their_length_limits(client, honey, officer):
    client.force_login(officer)
    data = edit_form_data(honey, summary_en="x" * 401)
    data["action-publish"] = "action-publish"
    response = client.post(f"/admin/pages/{honey.pk}/edit/", data)
    assert response.status_code == 200
    assert "401" in response.content.decode() or "400" in response.content.decode()
    honey.refresh_from_db()
    assert honey.summary_en == "Pure honey from longan orchards."

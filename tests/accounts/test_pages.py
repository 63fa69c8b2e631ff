"""Account pages: never in the shared page cache, English under /en/, no 500 (Hypothesis)."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.accounts.conftest import ACCOUNT, ADDRESSES, SIGN_IN, SIGN_UP, sign_up_by_phone

pytestmark = pytest.mark.django_db

NAME = "Phạm Văn Riêng"


def test_the_header_account_link_never_carries_a_name_into_cached_pages(products, settings):
    settings.PAGE_CACHE_ENABLED = True
    honey, _ = products
    shopper = Client()
    sign_up_by_phone(shopper, name=NAME)
    mine = shopper.get(honey.url)
    assert mine.status_code == 200 and "X-Page-Cache" not in mine
    assert 'href="/vi/tai-khoan/"' in mine.content.decode()
    assert NAME not in mine.content.decode()

    first, second = Client().get(honey.url), Client().get(honey.url)
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert NAME not in second.content.decode()
    assert 'href="/vi/tai-khoan/"' in second.content.decode()


@pytest.mark.parametrize("path", [SIGN_IN, SIGN_UP, ACCOUNT, ADDRESSES])
def test_account_pages_are_never_stored_or_kept(client, site, settings, path):
    settings.PAGE_CACHE_ENABLED = True
    for browser in (Client(), client):
        if browser is client:
            sign_up_by_phone(client)
        for _ in range(2):
            response = browser.get(path)
            assert "X-Page-Cache" not in response
            if response.status_code == 200:
                assert "no-store" in response["Cache-Control"]


def test_english_pages_are_in_english(client, site):
    page = client.get("/en/tai-khoan/dang-nhap/").content.decode()
    assert "E-mail me a sign-in link" in page
    assert '<html lang="en">' in page


FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
text = st.one_of(st.text(max_size=40), st.sampled_from(["0912345678", "a@b.vn", "1", "", "79"]))


@FUZZ
@given(
    data=st.dictionaries(
        st.sampled_from(["method", "email", "phone", "password", "next"]), text, max_size=5
    )
)
def test_sign_in_never_answers_500(site, data):
    assert Client().post(SIGN_IN, data).status_code in (200, 302, 400, 429)


@FUZZ
@given(
    data=st.dictionaries(
        st.sampled_from(["name", "phone", "password1", "password2"]), text, max_size=4
    )
)
def test_sign_up_never_answers_500(site, data):
    assert Client().post(SIGN_UP, data).status_code in (200, 302, 400, 429)


@FUZZ
@given(
    data=st.dictionaries(
        st.sampled_from(
            ["province", "ward", "street_address", "name", "phone", "is_default", "step"]
        ),
        text,
        max_size=7,
    ),
    token=st.text(min_size=1, max_size=60).filter(
        lambda t: "/" not in t and "?" not in t and "#" not in t
    ),
)
def test_signed_in_forms_and_links_never_answer_500(shopper_client, data, token):
    for url in (ADDRESSES, "/vi/tai-khoan/email/"):
        assert shopper_client.post(url, data).status_code in (200, 302, 400, 404, 429)
    from urllib.parse import quote

    path = f"/vi/tai-khoan/lien-ket/{quote(token)}/"
    assert Client().get(path).status_code in (400, 404, 429)
    path = f"/vi/tai-khoan/don-hang/{quote(token)}/dat-lai/"
    assert shopper_client.post(path).status_code in (302, 404, 429)


@pytest.fixture
def shopper_client(site):
    client = Client()
    sign_up_by_phone(client)
    return client

"""The public registry page: every recognition in its state, filters, links, no 500."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext, override

from catalog.models import MIN_CERTIFIED_STARS, ProducerType
from registry.filters import FIRST_YEAR, MAX_QUERY_LENGTH
from registry.status import RegistryStatus
from tests.factories import certify, make_product

from .conftest import World


def _titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<li class="registry-entry[^"]*">\s*<h2>(?:<a [^>]*>)?([^<]+)<', html)


def _entry(response, cert) -> str:
    """The registry entry of one certificate (title and decision number)."""
    html = response.content.decode()
    for block in html.split('<li class="registry-entry')[1:]:
        block = block.split("</li>")[0]
        if f">{cert.product.title}<" in block and cert.decision_number in block:
            return block
    raise AssertionError(f"{cert} not listed")


def test_registry_lists_every_recognition_in_its_state(client, world: World):
    response = client.get("/vi/ocop/")

    assert response.status_code == 200
    titles = _titles(response)
    assert sorted(titles) == sorted(c.product.title for c in world.listed)
    assert world.unrated.product.title not in titles  # 2★ is not a recognition
    expected = {
        world.live: "in-force",
        world.unpublished: "in-force",
        world.expiring: "expiring",
        world.expired: "expired",
        world.renewed: "in-force",
        world.revoked: "revoked",
        world.five_star: "in-force",
        world.old_criteria: "expired",
    }
    for cert, status in expected.items():
        block = _entry(response, cert)
        assert block.startswith(f' status-{status}"'), (cert.product.title, block[:40])
        assert cert.expires_on.strftime("%d/%m/%Y") in block


def test_expired_and_revoked_entries_never_carry_the_ocop_badge(client, world: World):
    response = client.get("/vi/ocop/?status=expired")
    revoked = client.get("/vi/ocop/?status=revoked")

    for resp, cert in ((response, world.old_criteria), (revoked, world.revoked)):
        block = _entry(resp, cert)
        assert 'class="stars' not in block
        assert "OCOP " not in block
    in_force = _entry(client.get("/vi/ocop/?status=in-force"), world.live)
    assert 'class="stars stars-4"' in in_force


def test_the_product_page_is_linked_only_where_it_is_live(client, site, world: World):
    from cms.services import translate_tree

    translate_tree(site)  # the English aliases, as publishing makes them after commit
    vi = client.get("/vi/ocop/")
    en = client.get("/en/ocop/")

    live = _entry(vi, world.live)
    assert f'href="{world.live.product.url}"' in live
    assert "<a " not in _entry(vi, world.unpublished)
    assert 'href="/en/' in _entry(en, world.live)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("province=bac-ninh", lambda w: [w.live, w.unpublished, w.old_criteria]),
        ("producer_type=dn", lambda w: [w.expiring, w.expired, w.renewed]),
        ("stars=5", lambda w: [w.five_star]),
        ("year=2020", lambda w: [w.old_criteria]),
        ("status=expiring", lambda w: [w.expiring]),
        ("status=expired", lambda w: [w.expired, w.old_criteria]),
        ("status=revoked", lambda w: [w.revoked]),
        ("q=nuoc+mam", lambda w: [w.revoked, w.five_star]),  # accents folded
        ("q=C%C3%94NG+TY+%C4%91%E1%BA%AFk", lambda w: [w.expiring, w.expired, w.renewed]),
        (
            "group=thuc-pham&stars=3",
            lambda w: [w.unpublished, w.expired, w.revoked, w.old_criteria],
        ),
    ],
)
def test_each_filter_narrows_the_registry(client, world: World, query, expected):
    response = client.get(f"/vi/ocop/?{query}")

    assert response.status_code == 200
    assert sorted(_titles(response)) == sorted(c.product.title for c in expected(world))


def _year_range() -> dict[str, int]:
    return {"first": FIRST_YEAR, "last": timezone.localdate().year}


def _producer_types() -> dict[str, str]:
    return {"values": ", ".join(ProducerType.values)}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, msgid, params",
    [
        ("province=atlantis", "There is no province “%(value)s”.", lambda: {"value": "atlantis"}),
        ("group=khong-co", "There is no OCOP group “%(value)s”.", lambda: {"value": "khong-co"}),
        (
            "stars=2",
            "Stars are a whole number from %(low)s to 5.",
            lambda: {"low": MIN_CERTIFIED_STARS},
        ),
        (
            "stars=abc",
            "Stars are a whole number from %(low)s to 5.",
            lambda: {"low": MIN_CERTIFIED_STARS},
        ),
        ("producer_type=xyz", "The producer type is one of: %(values)s.", _producer_types),
        ("year=1990", "The year of decision is between %(first)s and %(last)s.", _year_range),
        ("year=20%00", "The year of decision is between %(first)s and %(last)s.", _year_range),
        (
            "status=valid",
            "The status is one of: %(values)s.",
            lambda: {"values": ", ".join(RegistryStatus.values)},
        ),
        (
            "q=" + "a" * 101,
            "Search for at most %(n)s characters.",
            lambda: {"n": MAX_QUERY_LENGTH},
        ),
    ],
)
def test_a_bad_filter_gets_a_clear_message_never_a_500(client, site, query, msgid, params):
    def message(url: str) -> str:
        """The message as the user reads it: in the URL's language."""
        with override(url.split("/")[1]):
            return gettext(msgid) % params()

    for url in ("/vi/ocop/", "/en/ocop/", "/en/thong-ke/"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400
        assert escape(message(url)) in response.content.decode()
        assert 'role="alert"' in response.content.decode()
    for url in ("/en/ocop/danh-sach.csv", "/en/ocop/danh-sach.xlsx", "/en/thong-ke/sao.csv"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400
        assert message(url) in response.content.decode()


@pytest.mark.django_db
def test_a_bad_page_number_shows_a_page_not_an_error(client, world):
    for page in ("0", "-1", "abc", "9999"):
        assert client.get(f"/vi/ocop/?page={page}").status_code == 200


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_registry_page_makes_as_many_queries_for_many_entries_as_for_few(
    client, world: World, producer
):
    urls = ("/vi/ocop/", "/en/ocop/?q=mat+ong", "/vi/ocop/danh-sach.csv", "/vi/ocop/?page=2")
    for url in urls:
        _queries(client, url)  # warm the per-process caches
    few = {url: _queries(client, url) for url in urls}
    for i in range(3):
        make_product(producer, title=f"Mật ong thêm {i}", stars=3 + i)
    for i in range(22):  # a second page of entries (no product page each: cheaper)
        certify(world.live.product, stars=4, decision_number=f"{9000 + i}/QĐ-UBND")

    assert {url: _queries(client, url) for url in urls} == few


def test_producer_types_offered_are_the_catalogues(client, world):
    html = client.get("/vi/ocop/").content.decode()
    for code in ProducerType.values:
        assert f'<option value="{code}"' in html

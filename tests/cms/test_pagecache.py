"""The whole-page cache: anonymous pages are shared, and each change voids exactly its pages."""

from __future__ import annotations

import gzip
import io

import brotli
import pytest
from django.core.cache import cache
from django.test import Client

from cms import pagecache
from tests.factories import GrowingAreaFactory, make_batch, make_product, next_gtin13

LISTING = "/vi/san-pham/"


pytestmark = pytest.mark.usefixtures("page_cache_on")


@pytest.fixture
def honey(producer):
    return make_product(
        producer,
        title="Mật ong hoa nhãn Hưng Yên",
        variants=[{"name": "Chai 500 ml", "price": 150_000, "gtin": next_gtin13()}],
    )


@pytest.fixture
def batch(honey):
    return make_batch(honey, lot_code="MO-2026-01")


def get(client, url, **headers):
    response = client.get(url, **headers)
    return response, response.get("X-Page-Cache", "")


def cached(client, url):
    """GET twice: the second answer must come from the cache; return its text."""
    first, state = get(client, url)
    assert first.status_code == 200, url
    assert state == "miss", url
    second, state = get(client, url)
    assert state == "hit", url
    return second.content.decode()


def scan_url(batch):
    return f"/vi/truy-xuat/{batch.short_code}/"


# --- Sharing -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/vi/", "/en/", LISTING, "/vi/chu-the/"])
def test_public_pages_are_served_from_the_cache_the_second_time(honey, client, url):
    text = cached(client, url)
    assert "</html>" in text


def test_product_producer_and_scan_pages_are_cached(honey, batch, client):
    cached(client, honey.url)
    cached(client, honey.get_parent().url)
    assert "MO-2026-01" in cached(client, scan_url(batch))


def test_a_hit_is_the_same_page_as_the_miss(honey, client):
    first, _ = get(client, LISTING)
    second, _ = get(client, LISTING)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_unchanged_pages_stay_cached_when_another_product_changes(honey, producer, client):
    other = make_product(producer, title="Trà xanh Tân Cương")
    cached(client, other.url)
    variant = honey.variants.first()
    with_commit(lambda: save_price(variant, 99_000))
    _, state = get(client, other.url)
    assert state == "hit"


# --- Exact invalidation, one test per trigger --------------------------------------------


def with_commit(change):
    """Run a change as committed: on_commit callbacks (the voiding) run."""
    from django.db import connection

    callbacks = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(connection, "on_commit", lambda func, robust=False: callbacks.append(func))
        change()
    for callback in callbacks:
        callback()


def save_price(variant, price):
    variant.price = price
    variant.save()


def test_publishing_a_new_title_updates_product_producer_and_listing_pages(honey, client):
    urls = [honey.url, honey.get_parent().url, LISTING]
    for url in urls:
        cached(client, url)
    honey.title = "Mật ong rừng U Minh"
    with_commit(lambda: honey.save_revision().publish())
    for url in urls:
        response, state = get(client, url)
        assert state != "hit"
        assert "Mật ong rừng U Minh" in response.content.decode(), url


def test_unpublishing_removes_the_product_everywhere(honey, client):
    cached(client, honey.url)
    cached(client, LISTING)
    with_commit(lambda: honey.unpublish())
    assert client.get(honey.url).status_code == 404
    assert "Mật ong hoa nhãn Hưng Yên" not in client.get(LISTING).content.decode()


def test_recording_a_certificate_updates_stars(honey, client):
    from catalog.services import record_certificate
    from tests.factories import SCORES_FOR_STARS, criteria_set

    assert "OCOP 5★" not in cached(client, honey.url)
    cached(client, LISTING)
    a, b, c = SCORES_FOR_STARS[5]
    first = honey.certificates_queryset().first()
    fields = {
        "product": honey,
        "criteria_set": criteria_set(),
        "score_a": a,
        "score_b": b,
        "score_c": c,
        "stars": 5,
        "decision_number": "99/QĐ-TTg",
        "decision_date": first.decision_date,
        "issuing_body": "Thủ tướng Chính phủ",
        "issuing_level": "central",
    }
    with_commit(lambda: record_certificate(**fields))
    assert "OCOP 5★" in client.get(honey.url).content.decode()
    assert "OCOP 5★" in client.get(LISTING).content.decode()


def test_revoking_the_certificate_takes_the_cached_pages_down(honey, batch, client):
    from catalog.services import revoke_certificate

    cached(client, honey.url)
    cached(client, scan_url(batch))
    with_commit(lambda: revoke_certificate(honey.certificates_queryset().first(), "Vi phạm"))
    assert client.get(honey.url).status_code == 404
    _, state = get(client, scan_url(batch))
    assert state != "hit"


def test_an_expired_certificate_unpublished_by_the_daily_run_is_gone(honey, client):
    import datetime as dt

    from catalog.services import run_certificate_checks

    cached(client, honey.url)
    with_commit(
        lambda: run_certificate_checks(
            on=honey.certificates_queryset().first().expires_on + dt.timedelta(days=1)
        )
    )
    assert client.get(honey.url).status_code == 404


def test_pages_are_kept_no_later_than_midnight(honey, client, monkeypatch):
    import time

    monkeypatch.setattr(pagecache, "_seconds_to_midnight", lambda: 1)
    cached(client, honey.url)
    time.sleep(1.1)
    _, state = get(client, honey.url)
    assert state == "miss"


def test_a_recall_shows_at_once_on_the_scan_page(batch, client):
    from traceability.services import set_batch_status

    cached(client, scan_url(batch))
    with_commit(lambda: set_batch_status(batch, "recalled", "Nhiễm khuẩn lô MO-2026-01"))
    assert "Nhiễm khuẩn lô MO-2026-01" in client.get(scan_url(batch)).content.decode()


def test_lifting_a_recall_voids_the_warning(batch, client):
    from traceability.services import set_batch_status

    set_batch_status(batch, "recalled", "Nghi nhiễm khuẩn")
    assert "Nghi nhiễm khuẩn" in cached(client, scan_url(batch))
    with_commit(lambda: set_batch_status(batch, "active", "Kết quả xét nghiệm đạt"))
    assert "Nghi nhiễm khuẩn" not in client.get(scan_url(batch)).content.decode()


def test_a_new_trace_event_shows_on_the_scan_page(batch, client):
    from traceability.services import record_event

    cached(client, scan_url(batch))
    with_commit(
        lambda: record_event(batch, kind="shipping", place="Chợ Đồng Xuân", actor="Xe 29C-1")
    )
    assert "Chợ Đồng Xuân" in client.get(scan_url(batch)).content.decode()


def test_a_growing_area_certification_shows_on_the_scan_page(batch, client):
    import datetime as dt

    from traceability.models import AreaCertification

    cached(client, scan_url(batch))
    area = batch.growing_areas.first()
    with_commit(
        lambda: AreaCertification.objects.create(
            area=area,
            standard="vietgap",
            certificate_number="VG-2026-777",
            valid_from=dt.date.today(),
            valid_until=dt.date.today() + dt.timedelta(days=365),
        )
    )
    assert "VG-2026-777" in client.get(scan_url(batch)).content.decode()


def test_linking_another_area_to_the_batch_voids_its_scan_page(batch, honey, client):
    cached(client, scan_url(batch))
    area = GrowingAreaFactory(producers=[honey.producer], name="Vùng nhãn Khoái Châu")
    with_commit(lambda: batch.growing_areas.add(area))
    assert "Vùng nhãn Khoái Châu" in client.get(scan_url(batch)).content.decode()


def test_a_price_change_shows_on_product_and_listing(honey, client):
    cached(client, honey.url)
    cached(client, LISTING)
    with_commit(lambda: save_price(honey.variants.first(), 123_000))
    assert "123.000" in client.get(honey.url).content.decode()
    assert "123.000" in client.get(LISTING).content.decode()


def test_stock_taken_by_checkout_shows_out_of_stock(honey, client):
    from catalog.models import ProductVariant
    from storefront.orders import reindex_products

    cached(client, LISTING)

    def sell_out():
        ProductVariant.objects.filter(page=honey).update(stock=0)
        reindex_products({honey.pk})  # what checkout and released orders call after commit

    before = cached(client, honey.url)
    with_commit(sell_out)
    response, state = get(client, honey.url)
    assert state != "hit"
    assert response.content.decode() != before
    _, state = get(client, LISTING)
    assert state != "hit"


def test_a_producer_edit_shows_on_its_pages(honey, batch, client):
    producer = honey.producer
    urls = [honey.url, honey.get_parent().url, scan_url(batch)]
    for url in urls:
        cached(client, url)

    def rename():
        producer.name = "Hợp tác xã Ong mật Khoái Châu"
        producer.save()

    with_commit(rename)
    for url in urls:
        assert "Hợp tác xã Ong mật Khoái Châu" in client.get(url).content.decode(), url


def test_site_settings_void_every_page(honey, client, site):
    from cms.models import SiteSettings

    cached(client, honey.url)
    settings_row = SiteSettings.for_site(site.get_site())
    with_commit(lambda: settings_row.save())
    _, state = get(client, honey.url)
    assert state != "hit"


def test_resolver_answer_is_cached_and_follows_a_slug_change(honey, client):
    gtin = honey.variants.first().gtin
    url = f"/01/0{gtin}" if len(gtin) == 13 else f"/01/{gtin}"
    first = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert first.status_code == 307
    second = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert second["X-Page-Cache"] == "hit"
    assert second["Location"] == first["Location"]
    honey.slug = "mat-ong-moi"
    with_commit(lambda: honey.save_revision().publish())
    third = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert "mat-ong-moi" in third["Location"]


def test_a_change_committed_during_rendering_voids_that_render(honey, client, monkeypatch):
    """The page began before the change: storing it must not make it look fresh."""
    started = {}
    real_store = pagecache.store

    def store_after_a_change(request, response, key, began):
        started["t"] = began
        pagecache._touch([pagecache.page_tag(honey.translation_key)])
        return real_store(request, response, key, began)

    monkeypatch.setattr(pagecache, "store", store_after_a_change)
    get(client, honey.url)
    monkeypatch.undo()
    _, state = get(client, honey.url)
    assert state == "miss"


def test_an_evicted_tag_voids_the_pages_that_depend_on_it(honey, client):
    cached(client, honey.url)
    cache.delete(pagecache.TAG_PREFIX + pagecache.page_tag(honey.translation_key))
    _, state = get(client, honey.url)
    assert state == "miss"


# --- Never shared ------------------------------------------------------------------------


def test_signed_in_editor_pages_are_neither_served_nor_stored(honey, client, officer):
    cached(client, honey.url)
    editor = Client()
    editor.force_login(officer)
    response = editor.get(honey.url)
    assert "X-Page-Cache" not in response
    assert b"wagtail-userbar" in response.content
    anonymous, state = get(client, honey.url)
    assert state == "hit"
    assert b"wagtail-userbar" not in anonymous.content


def test_a_visitor_with_a_cart_gets_a_fresh_page(honey, client):
    cached(client, honey.url)
    client.post(
        "/vi/gio-hang/them/",
        {"variant": honey.variants.first().pk, "quantity": 1, "next": honey.url},
    )
    assert "sessionid" in client.cookies
    _, state = get(client, honey.url)
    assert state == ""


def test_flash_messages_bypass_the_cache(honey, client):
    cached(client, LISTING)
    client.cookies["messages"] = "anything"
    _, state = get(client, LISTING)
    assert state == ""


def test_serial_pages_are_never_cached(batch, client):
    from traceability.services import generate_serials

    serial = generate_serials(batch, 1)[0].serial
    url = f"/vi/truy-xuat/{batch.short_code}/s/{serial}/"
    for _ in range(2):
        response, state = get(client, url)
        assert response.status_code == 200
        assert state == ""
    assert batch.serials.get(serial=serial).scan_count == 2


@pytest.mark.parametrize("query", ["?utm_source=tv", "?page=1&page=2", "?q=mat"])
def test_unknown_query_strings_bypass_the_cache(honey, client, query):
    get(client, LISTING + query)
    _, state = get(client, LISTING + query)
    assert state == ""


def test_a_cached_page_holding_a_csrf_token_gives_each_visitor_their_own(honey, monkeypatch):
    """The generic path for forms that render a token (the product page's add-to-cart form
    does not on a shared render: tests/storefront/test_cached_add_to_cart.py)."""
    import re

    monkeypatch.setattr(pagecache, "renders_for_everyone", lambda request: False)
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        response = visitor.get(honey.url)
        assert "private" in response["Cache-Control"]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
        tokens.append(token.group(1))
        added = visitor.post(
            "/vi/gio-hang/them/",
            {
                "variant": honey.variants.first().pk,
                "quantity": 1,
                "csrfmiddlewaretoken": tokens[-1],
            },
        )
        assert added.status_code in (200, 302, 303)
    assert response["X-Page-Cache"] == "hit"
    assert tokens[0] != tokens[1]


# --- HTTP ----------------------------------------------------------------------------------


def test_public_pages_carry_cdn_headers_and_answer_304(honey, client):
    response = client.get(LISTING)
    assert "s-maxage" in response["Cache-Control"]
    assert "stale-while-revalidate" in response["Cache-Control"]
    again = client.get(LISTING, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_html_is_compressed(honey, client):
    response = client.get(LISTING, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert b"</html>" in gzip.decompress(response.content)


@pytest.mark.parametrize("kind", ["gtin", "short", "scan", "description"])
def test_head_is_answered_wherever_get_is(batch, honey, client, kind):
    gtin = honey.variants.first().gtin
    url = {
        "gtin": f"/01/0{gtin}",
        "short": f"/q/{batch.short_code}",
        "scan": scan_url(batch),
        "description": "/.well-known/gs1resolver",
    }[kind]
    get_response = client.get(url)
    head_response = client.head(url)
    assert head_response.status_code == get_response.status_code != 405
    assert head_response.content == b""


@pytest.mark.parametrize("url", ["/vi/tim-kiem/?q=mat", "/vi/gio-hang/"])
def test_head_is_answered_on_search_and_cart(honey, client, url):
    assert client.head(url).status_code == client.get(url).status_code == 200


def test_clear_page_cache_command_voids_every_page(honey, client):
    from django.core.management import call_command

    cached(client, honey.url)
    cached(client, LISTING)
    with_commit(lambda: call_command("clear_page_cache", stdout=io.StringIO()))
    for url in (honey.url, LISTING):
        _, state = get(client, url)
        assert state == "miss"


def test_a_hit_is_sent_compressed_once_stored(honey, client):
    miss = client.get(LISTING)
    hit = client.get(LISTING, HTTP_ACCEPT_ENCODING="gzip, br")
    assert hit["X-Page-Cache"] == "hit"
    assert hit["Content-Encoding"] == "br"
    assert "Accept-Encoding" in hit["Vary"]
    assert brotli.decompress(hit.content) == miss.content
    hit = client.get(LISTING, HTTP_ACCEPT_ENCODING="gzip")
    assert hit["X-Page-Cache"] == "hit" and hit["Content-Encoding"] == "gzip"
    assert gzip.decompress(hit.content) == miss.content
    plain = client.get(LISTING)
    assert plain["X-Page-Cache"] == "hit" and plain.content == miss.content


def test_publishing_a_new_product_adds_it_to_cached_listings(honey, producer, client):
    urls = [LISTING, honey.get_parent().url, "/vi/"]
    for url in urls:
        cached(client, url)
    with_commit(lambda: make_product(producer, title="Trà xanh Tân Cương", stars=5))
    for url in urls:
        assert "Trà xanh Tân Cương" in client.get(url).content.decode(), url


def test_a_producer_page_title_shows_in_its_product_pages(honey, client):
    producer_page = honey.get_parent().specific
    cached(client, honey.url)
    producer_page.title = "HTX Ong mật Văn Giang"
    with_commit(lambda: producer_page.save_revision().publish())
    assert "HTX Ong mật Văn Giang" in client.get(honey.url).content.decode()


def test_a_rolled_back_change_voids_nothing(honey, client, django_capture_on_commit_callbacks):
    import contextlib

    from django.db import transaction

    cached(client, honey.url)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        contextlib.suppress(RuntimeError),
        transaction.atomic(),
    ):
        save_price(honey.variants.first(), 1_000)
        raise RuntimeError("checkout failed")
    assert callbacks == []
    _, state = get(client, honey.url)
    assert state == "hit"
